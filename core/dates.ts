/**
 * Calendar dates as `YYYY-MM-DD` strings, UTC, no time zones involved: the one place that
 * decides what a real calendar date is. The generator (day numbers), the contract's `date`
 * format, the config, the GL and EIA loaders all validate through `isIsoDate`.
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Milliseconds since the epoch of a `YYYY-MM-DD` string at 00:00 UTC, or undefined when it is not a real date. */
export function parseIsoDateMs(text: string): number | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear keeps the year as written
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y);
  return date.getTime();
}

/** Whether `text` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  return parseIsoDateMs(text) !== undefined;
}

/** Whether `text` is a real month written `YYYY-MM`. */
export function isIsoMonth(text: string): boolean {
  return /^\d{4}-\d{2}$/.test(text) && isIsoDate(`${text}-01`);
}

/** The `YYYY-MM-DD` of an instant. */
export function isoDateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function todayUtc(): string {
  return isoDateOf(Date.now());
}

export function addDays(date: string, days: number): string {
  return isoDateOf(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
