import { createHash } from 'node:crypto';
import type { GlLine } from '../../../contracts/gl-line.ts';
import { serializeGlLine } from '../../../contracts/gl-line-json.ts';
import type { Journal } from './ledger.ts';

/**
 * One serializer for every way lines leave the service (JSON pages, NDJSON, SSE), so the same
 * line is always the same bytes: the contract's canonical JSON (contracts/gl-line-json.ts).
 */
export const serializeLine: (line: GlLine) => string = serializeGlLine;

export function serializeJournals(journals: readonly Journal[], separator: string): string {
  const parts: string[] = [];
  for (const journal of journals) for (const line of journal.lines) parts.push(serializeLine(line));
  return parts.join(separator);
}

/**
 * A day of the ledger as NDJSON in one buffer, with where each journal starts, when it was
 * posted and how many lines it has: pages, exports and stream events are slices of it, so
 * they are the same bytes by construction. Plain typed arrays, so a worker thread can
 * transfer it without copying.
 */
export interface SerializedDay {
  day: number;
  /** NDJSON: every line of the day, each ending in '\n'. */
  bytes: Uint8Array;
  /** Byte offset of journal k (seq k + 1); starts[count] is bytes.length. */
  starts: Uint32Array;
  /** Unix seconds at which journal k is posted (ascending). */
  postedAt: Float64Array;
  lineCounts: Uint32Array;
  /** sha256 (base64url) of bytes: the day's identity for ETags. */
  digest: string;
}

/**
 * A day whose bytes a generator process wrote to `file` (`size` bytes) instead of sending them:
 * only its index crosses to the service (day-files.ts adopts the file).
 */
export type FiledDay = Omit<SerializedDay, 'bytes'> & { file: string; size: number };

export function serializeDay(day: number, journals: readonly Journal[]): SerializedDay {
  const texts: string[] = new Array<string>(journals.length);
  const starts = new Uint32Array(journals.length + 1);
  const postedAt = new Float64Array(journals.length);
  const lineCounts = new Uint32Array(journals.length);
  let total = 0;
  journals.forEach((journal, k) => {
    let text = '';
    for (const line of journal.lines) text += serializeLine(line) + '\n';
    texts[k] = text;
    starts[k] = total;
    total += Buffer.byteLength(text);
    postedAt[k] = journal.postedAt;
    lineCounts[k] = journal.lines.length;
  });
  starts[journals.length] = total;
  // Its own ArrayBuffer (not a slice of Node's shared pool), so it can be transferred.
  const bytes = Buffer.allocUnsafeSlow(total);
  for (let k = 0; k < texts.length; k++) bytes.write(texts[k] as string, starts[k] as number);
  const digest = createHash('sha256').update(bytes).digest('base64url');
  return { day, bytes, starts, postedAt, lineCounts, digest };
}
