/**
 * The GL client's date windows. Calendar arithmetic is core/dates.ts; the limits are the
 * contract's (contracts/gl-page.ts).
 */
import { addDays } from '../../../core/dates.ts';
import { HISTORY_DAYS, MAX_RANGE_DAYS } from '../../../contracts/gl-page.ts';

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
