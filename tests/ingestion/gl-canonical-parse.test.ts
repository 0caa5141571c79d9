/**
 * The contract's canonical parser, which the GL client reads received lines with: it accepts
 * exactly the texts the compiled serializer writes, returns what JSON.parse would, and leaves
 * every other text to JSON.parse, so the hash and the COPY text are the same whichever path a
 * line took.
 */
import { describe, expect, it } from 'vitest';
import { serviceLines } from './gl-helpers.ts';
import { parseCanonicalGlLine, serializeGlLine } from '../../contracts/gl-line-json.ts';
import type { GlLine } from '../../contracts/gl-line.ts';
import { sha256 } from '../../ingestion/src/gl/canonical.ts';
import { ChunkBuilder, parseJsonLine } from '../../ingestion/src/gl/chunk.ts';
import { glLineValidator } from '../../ingestion/src/gl/schema.ts';

const texts = serviceLines(7, 20, ['2024-01-01', '2024-03-31', '2024-06-30']);
const base = texts.find((t) => t.includes('"afe_number":null')) as string;

/** The COPY text and hash the chunk builder makes of one received text. */
function prepared(text: string) {
  const builder = new ChunkBuilder(glLineValidator());
  builder.add(parseJsonLine(text));
  return builder.take();
}

describe('the canonical GL line parser', () => {
  it('reads every line the service writes, as JSON.parse does, and the serializer writes it back', () => {
    expect(texts.length).toBeGreaterThan(300);
    for (const text of texts) {
      const value = parseCanonicalGlLine(text);
      expect(value).toEqual(JSON.parse(text));
      expect(serializeGlLine(value as GlLine)).toBe(text);
    }
  });

  it('leaves any other form of the same JSON to JSON.parse, and the line hashes and loads the same', () => {
    const line = JSON.parse(base) as Record<string, unknown>;
    const others = [
      JSON.stringify(line, null, 1),
      ` ${base}`,
      `${base} `,
      JSON.stringify(Object.fromEntries(Object.entries(line).reverse())),
      base.replace('"line_no":', '"line_no": '),
      base.replace(`"line_no":${line.line_no}`, `"line_no":${line.line_no}.0`),
      base.replace(`"line_no":${line.line_no}`, `"line_no":${line.line_no}e0`),
      base.replace('"journal_id":"GL-', '"journal_id":"\\u0047L-'),
    ];
    const expected = prepared(base);
    expect(expected.rejected).toEqual([]);
    for (const text of others) {
      expect(parseCanonicalGlLine(text), text).toBeUndefined();
      expect(JSON.parse(text)).toEqual(line);
      const chunk = prepared(text);
      expect(chunk.rejected, text).toEqual([]);
      expect(chunk.lines, text).toEqual(expected.lines);
    }
  });

  it('does not read a text whose values need an escape, a check or another type', () => {
    const line = JSON.parse(base) as Record<string, unknown>;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...line, description: 'quote " inside' }, 'escaped quote'],
      [{ ...line, description: 'back\\slash' }, 'escaped backslash'],
      [{ ...line, description: 'tab\there' }, 'escaped control character'],
      [{ ...line, description: 'lone \ud800 surrogate' }, 'lone surrogate'],
      [{ ...line, description: 'pair \ud83d\ude00' }, 'surrogate pair'],
      [{ ...line, line_no: -0 }, 'written 0 by JSON.stringify, -0 here'],
      [{ ...line, line_no: '3' }, 'a string where a number belongs'],
      [{ ...line, debit: 12.5 }, 'a number where a string belongs'],
      [{ ...line, afe_number: false }, 'a boolean'],
    ];
    for (const [value, what] of cases) {
      const text = what.startsWith('written')
        ? base.replace(/"line_no":\d+/, '"line_no":-0')
        : JSON.stringify(value);
      expect(parseCanonicalGlLine(text), what).toBeUndefined();
    }
    const { afe_number: _, ...missing } = line;
    expect(parseCanonicalGlLine(JSON.stringify(missing))).toBeUndefined();
    expect(parseCanonicalGlLine(JSON.stringify({ ...line, extra: 1 }))).toBeUndefined();
    expect(parseCanonicalGlLine(base.slice(0, -1))).toBeUndefined();
    expect(parseCanonicalGlLine(`${base}}`)).toBeUndefined();
    // a raw control character is not JSON at all: quarantined as malformed, as before
    const raw = base.replace(/"description":"/, '"description":"\t');
    expect(parseCanonicalGlLine(raw)).toBeUndefined();
    expect(prepared(raw).rejected[0]?.reason).toMatch(/^malformed JSON/);
  });

  it('reads canonical text whose values the schema rejects, and validation quarantines it', () => {
    const bad = base.replace(/"debit":"[^"]*"/, '"debit":"12.5"');
    expect(parseCanonicalGlLine(bad)).toMatchObject({ debit: '12.5' });
    const chunk = prepared(bad);
    expect(chunk.lines).toEqual([]);
    expect(chunk.rejected).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/^schema: \/debit/) }),
    ]);
  });

  it('keeps the hash of a canonical line the hash of its text, with escapes or without', () => {
    const escaped = JSON.stringify({
      ...(JSON.parse(base) as object),
      description: 'a "quoted"\tdescription',
    });
    for (const text of [base, escaped]) {
      const [line] = prepared(text).lines;
      expect(line?.slice(line.lastIndexOf('\t') + 1)).toBe(sha256(text));
    }
  });
});

describe('duplicates within a chunk', () => {
  it('collapses a repeat and quarantines a revision whether the ids arrive in order or not', () => {
    const lines = texts.slice(0, 50);
    const reordered = [...lines.slice(25), ...lines.slice(0, 25)];
    const revised = lines[10]!.replace(/"description":"/, '"description":"changed ');
    for (const order of [lines, reordered]) {
      const builder = new ChunkBuilder(glLineValidator());
      for (const text of [...order, lines[3]!, revised, lines[49]!]) builder.add(parseJsonLine(text));
      const chunk = builder.take();
      expect(chunk.lines).toHaveLength(50);
      expect(chunk.duplicates).toBe(2);
      expect(chunk.rejected.map((r) => r.reason)).toEqual([expect.stringMatching(/^revised: line GL-/)]);
      expect(chunk.lines.map((l) => l.slice(l.lastIndexOf('\t') + 1))).toEqual(order.map((t) => sha256(t)));
    }
  });
});
