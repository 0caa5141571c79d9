/**
 * Turns received GL records into loadable chunks: parse (malformed JSON is quarantined with the
 * text as received), validate against the service's published schema (failures quarantined
 * with the reasons), hash, and collapse repeats of a line_id within the chunk (identical →
 * unchanged, different → quarantined).
 */
import type { QuarantinedRecord } from '../load/quarantine.ts';
import { serializeGlLine } from '../../../contracts/gl-line-json.ts';
import type { GlLine } from '../../../contracts/gl-line.ts';
import { sha256 } from './canonical.ts';
import { encodeLine, type LineChunk, type PreparedLine } from './load-lines.ts';
import type { LineValidator } from './schema.ts';

export type Parsed =
  | { ok: true; value: unknown }
  | { ok: false; text: string; reason: string; /** e.g. the SSE event id */ key?: string | null };

export function parseJsonLine(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, text, reason: `malformed JSON: ${(error as Error).message}` };
  }
}

export class ChunkBuilder {
  private lines: PreparedLine[] = [];
  /**
   * line_id → index in `lines` (a small integer: no second copy of the hash per line to keep;
   * the hash is the last field of the line's COPY text).
   */
  private seen = new Map<string, number>();
  private minDate: string | undefined;
  private maxDate: string | undefined;
  private rejected: QuarantinedRecord[] = [];
  private received = 0;
  private duplicates = 0;

  constructor(private readonly validate: LineValidator) {}

  get size(): number {
    return this.received;
  }

  add(parsed: Parsed): void {
    this.received++;
    if (!parsed.ok) {
      this.rejected.push({
        recordKey: parsed.key ?? null,
        reason: parsed.reason,
        text: parsed.text.slice(0, 100_000),
      });
      return;
    }
    const value = parsed.value;
    const error = this.validate(value);
    if (error !== null) {
      const line_id = (value as { line_id?: unknown } | null)?.line_id;
      this.rejected.push({
        recordKey: typeof line_id === 'string' ? line_id : null,
        reason: `schema: ${error}`,
        payload: value,
      });
      return;
    }
    const key = (value as { line_id: string }).line_id; // a string: the schema requires it
    const record = value as Record<string, unknown>;
    // The canonical JSON of a valid line, from the contract's compiled serializer: the very bytes
    // the service sent for it (it serializes with the same function), so the hash is theirs.
    const json = serializeGlLine(value as GlLine);
    const hash = sha256(json);
    const previous = this.seen.get(key);
    if (previous === undefined) {
      this.seen.set(key, this.lines.length);
      this.lines.push(encodeLine(record, hash, json));
      const date = record.posting_date as string;
      if (this.minDate === undefined || date < this.minDate) this.minDate = date;
      if (this.maxDate === undefined || date > this.maxDate) this.maxDate = date;
    } else if (this.lines[previous]!.endsWith(hash)) {
      this.duplicates++;
    } else {
      this.rejected.push({
        recordKey: key,
        reason: `revised: line ${key} received twice with different payloads in one batch; the first is loaded`,
        payload: record,
      });
    }
  }

  take(): LineChunk {
    const chunk: LineChunk = {
      lines: this.lines,
      minDate: this.minDate,
      maxDate: this.maxDate,
      rejected: this.rejected,
      received: this.received,
      duplicates: this.duplicates,
    };
    this.lines = [];
    this.seen = new Map();
    this.minDate = undefined;
    this.maxDate = undefined;
    this.rejected = [];
    this.received = 0;
    this.duplicates = 0;
    return chunk;
  }
}

/**
 * Splits a byte stream into lines, yielding the complete lines of each network chunk as one array
 * (a promise per chunk, not per line). A body that ends in the middle of a line was cut in transit
 * (every NDJSON line ends with a newline) and raises the error `onTruncated` makes.
 */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  onTruncated: (tail: string) => Error,
): AsyncGenerator<string[]> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of chunks) {
    const text = rest + decoder.decode(chunk, { stream: true });
    const lines: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      if (nl > start && !(nl === start + 1 && text.charCodeAt(start) === 13))
        lines.push(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
    if (lines.length > 0) yield lines;
  }
  rest += decoder.decode();
  if (rest.trim().length > 0) throw onTruncated(rest);
}
