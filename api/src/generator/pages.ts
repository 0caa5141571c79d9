import type { CursorPosition } from './cursor.ts';
import type { Journal } from './ledger.ts';

export interface PageRequest {
  startDay: number;
  endDay: number;
  after: CursorPosition | null;
  /** Maximum lines per page; a page always holds whole journals and at least one. */
  limit: number;
  /** Journals posted at or after this instant (unix seconds) are not served yet. */
  watermark: number;
}

export interface Page {
  journals: Journal[];
  next: CursorPosition | null;
}

/** Reads whole journals after the cursor until the next one would exceed the line limit. */
export function readPage(journalsOf: (day: number) => readonly Journal[], request: PageRequest): Page {
  const out: Journal[] = [];
  let lines = 0;
  const firstDay = request.after ? request.after.day : request.startDay;
  for (let day = firstDay; day <= request.endDay; day++) {
    for (const journal of journalsOf(day)) {
      if (request.after && day === request.after.day && journal.seq <= request.after.seq) continue;
      if (journal.postedAt >= request.watermark) return { journals: out, next: null };
      if (out.length > 0 && lines + journal.lines.length > request.limit) {
        const last = out[out.length - 1] as Journal;
        return { journals: out, next: { day: last.day, seq: last.seq } };
      }
      out.push(journal);
      lines += journal.lines.length;
    }
  }
  return { journals: out, next: null };
}
