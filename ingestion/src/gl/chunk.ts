/**
 * Turns received GL records into loadable chunks: parse (malformed JSON is quarantined with the
 * text as received), validate against the service's published schema (failures quarantined
 * with the reasons), hash, and collapse repeats of a line_id within the chunk (identical →
 * unchanged, different → quarantined).
 */
import { StringDecoder } from 'node:string_decoder';
import type { QuarantinedRecord } from '../load/quarantine.ts';
import { parseCanonicalGlLine, serializeGlLine } from '../../../contracts/gl-line-json.ts';
import type { GlLine } from '../../../contracts/gl-line.ts';
import { GL_LINE_FIELDS, sha256 } from './canonical.ts';
import { encodeLine, type LineChunk, type PreparedLine } from './load-lines.ts';
import type { LineValidator } from './schema.ts';

export type Parsed =
  | {
      ok: true;
      value: unknown;
      /** The text received, when it is the value's canonical JSON. */
      canonical?: string;
    }
  | { ok: false; text: string; reason: string; /** e.g. the SSE event id */ key?: string | null };

/**
 * A received GL line: what the service sends (its canonical JSON) is read by the contract's
 * canonical parser, which also proves it canonical, so its hash is the hash of the text itself;
 * anything else is parsed as JSON and serialized canonically to be hashed.
 */
export function parseJsonLine(text: string): Parsed {
  const value = parseCanonicalGlLine(text);
  if (value !== undefined) return { ok: true, value, canonical: text };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, text, reason: `malformed JSON: ${(error as Error).message}` };
  }
}

export class ChunkBuilder {
  private lines: PreparedLine[] = [];
  /**
   * The largest line_id in the chunk. The service sends lines in ascending line_id order, so a
   * line whose id is larger is new to the chunk without a lookup; a lookup per line cost about as
   * much as hashing it.
   */
  private maxKey: string | undefined;
  /**
   * line_id → index in `lines`, built once a line arrives out of order (a small integer: no second
   * copy of the hash to keep; the hash is the last field of the line's COPY text).
   */
  private seen: Map<string, number> | undefined;
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
    // The canonical JSON of the line: the text received when the canonical parser read it (the
    // very bytes the service sent), else the contract's compiled serializer's output for it.
    const json = parsed.canonical ?? serializeGlLine(value as GlLine);
    const hash = sha256(json);
    const ascending = this.maxKey === undefined || key > this.maxKey;
    const previous = ascending ? undefined : this.index().get(key);
    if (previous === undefined) {
      const line = encodeLine(record, hash, json);
      this.seen?.set(lineId(line), this.lines.length);
      this.lines.push(line);
      if (ascending) this.maxKey = key;
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

  private index(): Map<string, number> {
    if (this.seen === undefined) {
      this.seen = new Map();
      for (let i = 0; i < this.lines.length; i++) this.seen.set(lineId(this.lines[i]!), i);
    }
    return this.seen;
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
    this.maxKey = undefined;
    this.seen = undefined;
    this.minDate = undefined;
    this.maxDate = undefined;
    this.rejected = [];
    this.received = 0;
    this.duplicates = 0;
    return chunk;
  }
}

if (GL_LINE_FIELDS[0] !== 'line_id') throw new Error('lineId() reads line_id as the first COPY field');

/**
 * The line_id of a prepared line, its first COPY field (an id the schema accepts has nothing to
 * escape). Read from the COPY text, which the chunk holds anyway, rather than kept from the parsed
 * line: that is a slice of the received text and would keep all of it alive with the chunk
 * (measured: 860 instead of 370 bytes per line held).
 */
function lineId(line: PreparedLine): string {
  return line.slice(0, line.indexOf('\t'));
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
  // StringDecoder rather than TextDecoder: UTF-8 decoding alike (a character split between
  // chunks waits for its last byte, invalid bytes become U+FFFD) at a seventh of the cost
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let first = true;
  for await (const chunk of chunks) {
    let text = rest + decoder.write(chunk);
    if (first && text.length > 0) {
      // TextDecoder's default, kept: a byte order mark at the start is not part of the text
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
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
  rest += decoder.end();
  if (rest.trim().length > 0) throw onTruncated(rest);
}
