import type { GlLine } from '../../../contracts/gl-line.ts';
import { dayFromIso } from './calendar.ts';
import type { Journal, LedgerOptions } from './ledger.ts';
import { Ledger } from './ledger.ts';

/** Journals of consecutive days, one day in memory at a time. */
export function* journalsBetween(
  ledger: Ledger,
  fromDay: number,
  toDay: number,
  watermark = Infinity,
): Generator<Journal> {
  for (let day = fromDay; day <= toDay; day++) {
    for (const journal of ledger.journalsForDay(day)) {
      if (journal.postedAt >= watermark) return;
      yield journal;
    }
  }
}

/**
 * The in-process API: every GL line from `from` to `to` (YYYY-MM-DD, inclusive), exactly as the
 * service serves them. Async so callers can interleave I/O; it yields to the event loop once a day.
 */
export async function* generateLines(
  options: LedgerOptions | Ledger,
  from: string,
  to: string,
): AsyncGenerator<GlLine> {
  const ledger = options instanceof Ledger ? options : new Ledger(options);
  const fromDay = dayFromIso(from);
  const toDay = dayFromIso(to);
  for (let day = fromDay; day <= toDay; day++) {
    for (const journal of ledger.journalsForDay(day)) yield* journal.lines;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
