/** The GL client's pure parts: ranges, canonical JSON and hashes, retry timing, line splitting. */
import { describe, expect, it } from 'vitest';
import { GlLineSchema } from '../../contracts/gl-line.ts';
import { canonicalLineJson, GL_LINE_FIELDS, lineHash } from '../../ingestion/src/gl/canonical.ts';
import { ChunkBuilder, splitLines } from '../../ingestion/src/gl/chunk.ts';
import { historyRange, splitRange } from '../../ingestion/src/gl/dates.ts';
import { DEFAULT_RETRY } from '../../ingestion/src/gl/http.ts';
import { HttpError, isRetryable, TruncatedBodyError } from '../../ingestion/src/load/errors.ts';
import { backoffDelay } from '../../ingestion/src/load/retry.ts';
import { glLineValidator } from '../../ingestion/src/gl/schema.ts';

const LINE = {
  line_id: 'GL-20240131-000042-03',
  journal_id: 'GL-20240131-000042',
  line_no: 3,
  posting_date: '2024-01-31',
  accounting_period: '2024-01',
  account_number: '4000',
  debit: '0.00',
  credit: '1234.50',
  source: 'revenue',
  description: 'Oil sales\tW-00001 "north"',
  well_id: 'W-00001',
  production_month: '2023-12',
  product: 'oil',
  afe_number: null,
  jib_number: null,
  owner_id: null,
  volume: '17.33',
  volume_uom: 'bbl',
  unit_price: '71.2500',
  reverses_journal_id: null,
};

describe('GL client units', () => {
  it('splits ranges into windows of at most 366 days and knows the served history', () => {
    expect(splitRange('2023-01-01', '2024-12-31')).toEqual([
      { start: '2023-01-01', end: '2024-01-01' },
      { start: '2024-01-02', end: '2024-12-31' },
    ]);
    expect(splitRange('2024-01-01', '2024-01-01')).toEqual([{ start: '2024-01-01', end: '2024-01-01' }]);
    expect(historyRange('2024-01-31')).toEqual({ from: '2023-01-31', to: '2024-01-30' });
  });

  it('hashes the canonical JSON: contract order, independent of the order received', () => {
    expect(GL_LINE_FIELDS).toEqual(Object.keys(GlLineSchema.properties));
    const reversed = Object.fromEntries(Object.entries(LINE).reverse());
    expect(canonicalLineJson(reversed)).toBe(JSON.stringify(LINE));
    expect(lineHash(reversed)).toBe(lineHash(LINE));
    expect(lineHash({ ...LINE, credit: '1234.51' })).not.toBe(lineHash(LINE));
  });

  it('validates against the service schema, escapes COPY text and collapses repeats', () => {
    const validate = glLineValidator();
    expect(validate(LINE)).toBeNull();
    expect(validate({ ...LINE, debit: '12.5' })).toMatch(/debit/);
    expect(validate({ ...LINE, extra: 1 })).toMatch(/additional/);
    const builder = new ChunkBuilder(validate);
    builder.add({ ok: true, value: LINE });
    builder.add({ ok: true, value: { ...LINE } });
    builder.add({ ok: true, value: { ...LINE, debit: '1.00' } });
    builder.add({ ok: false, text: '{"oops', reason: 'malformed JSON: x' });
    const chunk = builder.take();
    expect(chunk).toMatchObject({ received: 4, duplicates: 1, minDate: '2024-01-31', maxDate: '2024-01-31' });
    expect(chunk.lines).toHaveLength(1);
    expect(chunk.lines[0]!.split('\t')[9]).toBe('Oil sales\\tW-00001 "north"');
    expect(chunk.lines[0]!.split('\t')[13]).toBe('\\N');
    expect(chunk.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^revised/),
      'malformed JSON: x',
    ]);
  });

  it('retries what may succeed, honouring Retry-After', () => {
    expect(isRetryable(new HttpError('x', { status: 503, retryable: true }))).toBe(true);
    expect(isRetryable(new HttpError('x', { status: 404, retryable: false }))).toBe(false);
    expect(isRetryable(new TypeError('fetch failed'))).toBe(true);
    expect(isRetryable(new TruncatedBodyError('cut'))).toBe(true);
    expect(isRetryable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(backoffDelay(DEFAULT_RETRY, 1, 7000)).toBe(7000);
    expect(backoffDelay(DEFAULT_RETRY, 1, 10_000_000)).toBe(DEFAULT_RETRY.maxRetryAfterMs);
    for (let attempt = 1; attempt < 12; attempt++) {
      const delay = backoffDelay(DEFAULT_RETRY, attempt);
      const ceiling = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.minDelayMs * 2 ** (attempt - 1));
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });

  it('splits NDJSON across chunk boundaries and detects a cut last line', async () => {
    const enc = new TextEncoder();
    async function* chunks(parts: string[]) {
      for (const p of parts) yield enc.encode(p);
    }
    const lines: string[] = [];
    for await (const batch of splitLines(
      chunks(['{"a":1}\n{"b"', ':2}\n\n{"c":"é"}\n']),
      () => new Error('cut'),
    ))
      lines.push(...batch);
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":"é"}']);
    await expect(async () => {
      for await (const _ of splitLines(chunks(['{"a":1}\n{"b"']), (tail) => new TruncatedBodyError(tail)));
    }).rejects.toThrow(TruncatedBodyError);
  });
});
