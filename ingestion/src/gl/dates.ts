/** Calendar arithmetic on 'YYYY-MM-DD' strings (UTC, no time zones involved). */

export const MAX_RANGE_DAYS = 366;
/**
 * Days of history the service serves: the 365 days before GL_AS_OF (the service's
 * servedSpan(): from 00:00 UTC 365 days before GL_AS_OF; GL_AS_OF itself is "today", whose lines
 * arrive through the live stream as their slots complete).
 */
export const HISTORY_DAYS = 365;

const DAY_MS = 86_400_000;

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The history before `asOf`: [asOf - 365 days, asOf - 1 day]. */
export function historyRange(asOf: string): { from: string; to: string } {
  return { from: addDays(asOf, -HISTORY_DAYS), to: addDays(asOf, -1) };
}

/** [from, to] cut into consecutive windows of at most `maxDays` days (both ends inclusive). */
export function splitRange(
  from: string,
  to: string,
  maxDays = MAX_RANGE_DAYS,
): Array<{ start: string; end: string }> {
  const windows: Array<{ start: string; end: string }> = [];
  for (let start = from; start <= to; start = addDays(start, maxDays)) {
    const end = addDays(start, maxDays - 1);
    windows.push({ start, end: end < to ? end : to });
  }
  return windows;
}
