import { SECONDS_PER_DAY } from './calendar.ts';
import type { CursorPosition } from './cursor.ts';
import type { DayLease } from './day-files.ts';
import type { SerializedDay } from './serialize.ts';

/** Serialized days by day number (a DayStore, or anything that makes them). */
export type Days = (day: number) => Promise<SerializedDay>;

/** Days lent by day number (DayStore.lease): each given back by its release(). */
export type DayLeases = (day: number) => Promise<DayLease>;

/** Bytes of a lent day; release() gives the day back once nothing reads them. */
export interface LentSlice {
  bytes: Uint8Array;
  release(): void;
}

export interface DayRange {
  startDay: number;
  endDay: number;
  /** Serve journals after this one (the page cursor). */
  after: CursorPosition | null;
  /** Journals posted at or after this instant (unix seconds) are not served yet. */
  watermark: number;
}

export interface PageRequest extends DayRange {
  /** Maximum lines per page; a page always holds whole journals and at least one. */
  limit: number;
}

/** The journals of a day to serve, as indices [from, to); `cut` when the watermark ends the range. */
function served(day: SerializedDay, range: DayRange): { from: number; to: number; cut: boolean } {
  const count = day.postedAt.length;
  const from = range.after && day.day === range.after.day ? Math.min(range.after.seq, count) : 0;
  const to = Math.max(from, firstPostedAt(day, range.watermark));
  const cut = to < count;
  return { from, to, cut };
}

const slice = (day: SerializedDay, from: number, to: number) =>
  day.bytes.subarray(day.starts[from] as number, day.starts[to] as number);

/**
 * The range as NDJSON slices, one per day, each to be released by the consumer once sent. `ahead`
 * days are requested before the current one is handed on, so generator threads work on upcoming
 * days while the socket drains this one; the consumer pulls, so a slow client holds at most
 * `ahead` + 1 days. Days requested but never handed on are released here.
 */
export async function* ndjsonSlices(days: DayLeases, range: DayRange, ahead = 2): AsyncGenerator<LentSlice> {
  const pending: Promise<DayLease>[] = [];
  let next = range.after?.day ?? range.startDay;
  const fill = () => {
    while (pending.length <= ahead && next <= range.endDay) {
      const day = days(next++);
      day.catch(() => undefined); // awaited below; a client that left must not leave it unhandled
      pending.push(day);
    }
  };
  try {
    fill();
    while (pending.length > 0) {
      const lease = await (pending.shift() as Promise<DayLease>);
      const { day } = lease;
      const { from, to, cut } = served(day, range);
      if (!cut) fill();
      if (to === from) lease.release();
      else yield { bytes: slice(day, from, to), release: lease.release };
      if (cut) return;
    }
  } finally {
    // a client that left, or a day that failed: the days read ahead are nobody's
    for (const day of pending.splice(0))
      day.then(
        (lease) => lease.release(),
        () => undefined,
      );
  }
}

/** A JSON array of the lines in NDJSON slices: the same bytes, with ',' where '\n' was. */
export function jsonArray(slices: readonly Uint8Array[], prefix = '', suffix = ''): Buffer {
  const size = slices.reduce((n, s) => n + s.byteLength, 0);
  const head = Buffer.from(`${prefix}[`);
  const tail = Buffer.from(`]${suffix}`);
  const out = Buffer.allocUnsafe(head.length + Math.max(0, size - 1) + tail.length);
  head.copy(out, 0);
  let at = head.length;
  for (const s of slices) {
    out.set(s, at);
    at += s.byteLength;
  }
  // JSON strings never hold a raw newline, so every 0x0A is a line end.
  const end = head.length + Math.max(0, size - 1);
  for (let i = out.indexOf(10, head.length); i !== -1 && i < end; i = out.indexOf(10, i + 1)) out[i] = 44;
  tail.copy(out, end);
  return out;
}

export interface Page {
  slices: Uint8Array[];
  next: CursorPosition | null;
}

/** Reads whole journals after the cursor until the next one would exceed the line limit. */
export async function readPage(days: Days, request: PageRequest): Promise<Page> {
  const slices: Uint8Array[] = [];
  let journals = 0;
  let lines = 0;
  let last: CursorPosition | null = null;
  for (let d = request.after ? request.after.day : request.startDay; d <= request.endDay; d++) {
    const day = await days(d);
    const { from, to, cut } = served(day, request);
    let k = from;
    while (k < to) {
      const count = day.lineCounts[k] as number;
      if (journals > 0 && lines + count > request.limit) break;
      journals++;
      lines += count;
      k++;
    }
    if (k > from) {
      slices.push(slice(day, from, k));
      last = { day: d, seq: k };
    }
    if (k < to) return { slices, next: last };
    if (cut) break;
  }
  return { slices, next: null };
}

/** Index of the first journal of the day posted at or after t (postedAt ascends). */
function firstPostedAt(day: SerializedDay, t: number): number {
  let lo = 0;
  let hi = day.postedAt.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((day.postedAt[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The journals posted in [from, to) (unix seconds), as NDJSON slices: a stream slot's lines. */
export async function postedBetween(days: Days, from: number, to: number): Promise<Uint8Array[]> {
  const slices: Uint8Array[] = [];
  for (let d = Math.floor(from / SECONDS_PER_DAY); d * SECONDS_PER_DAY < to; d++) {
    const day = await days(d);
    const a = firstPostedAt(day, from);
    const b = firstPostedAt(day, to);
    if (b > a) slices.push(slice(day, a, b));
  }
  return slices;
}
