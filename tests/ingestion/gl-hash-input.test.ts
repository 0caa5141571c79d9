/**
 * The GL client's hot path against the service's own bytes: the hash it stores is sha256 of the
 * exact line the service sent, and the validator in its Ajv form accepts and rejects exactly what
 * the contract's schema does.
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { serviceLines } from './gl-helpers.ts';
import { GlLineSchema } from '../../contracts/gl-line.ts';
import { canonicalLineJson, sha256 } from '../../ingestion/src/gl/canonical.ts';
import { ChunkBuilder, parseJsonLine } from '../../ingestion/src/gl/chunk.ts';
import { ajvForm, glLineValidator } from '../../ingestion/src/gl/schema.ts';

const texts = serviceLines(42, 20, ['2024-01-01', '2024-01-15', '2024-02-29']);

describe('the GL client hash input', () => {
  it('hashes the bytes the service sent, which are the canonical JSON of the line', () => {
    expect(texts.length).toBeGreaterThan(200);
    const builder = new ChunkBuilder(glLineValidator());
    for (const text of texts) builder.add(parseJsonLine(text));
    const chunk = builder.take();
    expect(chunk.rejected).toEqual([]);
    expect(chunk.lines).toHaveLength(texts.length);
    chunk.lines.forEach((line, i) => {
      const text = texts[i] as string;
      expect(canonicalLineJson(JSON.parse(text) as Record<string, unknown>)).toBe(text);
      expect(line.slice(line.lastIndexOf('\t') + 1)).toBe(sha256(text));
    });
  });

  it('hashes a line received in another key order or spacing like the canonical one', () => {
    const text = texts[0] as string;
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(text)).reverse()), null, 1);
    const builder = new ChunkBuilder(glLineValidator());
    builder.add(parseJsonLine(reordered));
    const [line] = builder.take().lines;
    expect(line?.endsWith(`\t${sha256(text)}`)).toBe(true);
  });

  it('validates in its Ajv form exactly as the contract schema does', () => {
    const ajv = new Ajv({ allErrors: false, strict: false });
    (addFormatsModule as unknown as (a: Ajv) => Ajv)(ajv);
    const contract = ajv.compile(GlLineSchema);
    const fast = glLineValidator();
    const form = ajvForm(GlLineSchema) as { properties: Record<string, { anyOf?: unknown }> };
    // the rewrite removed the unions it knows (enums and nullable strings)
    expect(Object.values(form.properties).filter((p) => p.anyOf !== undefined)).toEqual([]);
    const base = JSON.parse(texts.find((t) => t.includes('"product":"oil"')) as string) as Record<
      string,
      unknown
    >;
    const variants: Array<Record<string, unknown>> = [
      base,
      { ...base, product: 'water' },
      { ...base, product: null },
      { ...base, product: 1 },
      { ...base, source: 'ap' },
      { ...base, source: 'nope' },
      { ...base, source: null },
      { ...base, well_id: null },
      { ...base, well_id: 7 },
      { ...base, production_month: '2024-13' },
      { ...base, production_month: null },
      { ...base, volume: '1.5' },
      { ...base, volume: null },
      { ...base, volume_uom: 'mcf' },
      { ...base, volume_uom: 'kg' },
      { ...base, unit_price: '71.25' },
      { ...base, reverses_journal_id: 'GL-20240101-000001' },
      { ...base, reverses_journal_id: 'x' },
      { ...base, posting_date: '2024-02-30' },
      { ...base, debit: null },
      { ...base, extra: 1 },
    ];
    for (const value of variants) expect(fast(value) === null, JSON.stringify(value)).toBe(contract(value));
    expect(variants.filter((v) => fast(v) !== null).length).toBeGreaterThan(8);
  });
});
