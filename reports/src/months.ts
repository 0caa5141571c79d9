/** Month arithmetic on 'YYYY-MM-DD' month starts, in UTC, and the wording for EIA's lag. */

export function addMonths(month: string, months: number): string {
  const d = new Date(`${month.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** '2024-01-01' → '2024-01'. */
export const period = (month: string): string => month.slice(0, 7);

/** '2024-01-01' → 'Jan 2024'. */
export function monthLabel(month: string): string {
  const d = new Date(`${month.slice(0, 7)}-01T00:00:00Z`);
  return d.toLocaleString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** '2024-01-01' → 'January 2024'. */
export function monthName(month: string): string {
  const d = new Date(`${month.slice(0, 7)}-01T00:00:00Z`);
  return d.toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** What the reports say instead of a blank or a zero where EIA has not published a period yet. */
export const eiaNotPublished = (month: string): string => `EIA data not yet published for ${period(month)}`;
