import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayFromIso } from '../../api/src/generator/calendar.ts';
import { serializeLine } from '../../api/src/generator/serialize.ts';
import { build, ndjsonLines, pagedLines } from './helpers.ts';

const ndjson = (app: FastifyInstance, query: string, headers: Record<string, string> = {}) =>
  app.inject({ url: `/v1/gl/entries?${query}`, headers: { accept: 'application/x-ndjson', ...headers } });

describe('the NDJSON export and its day cache', () => {
  let threaded: FastifyInstance;
  let inline: FastifyInstance;
  beforeAll(async () => {
    threaded = await build({ generatorThreads: 2 });
    inline = await build({ generatorThreads: 0, dayCacheBytes: 0 });
  });
  afterAll(() => Promise.all([threaded.close(), inline.close()]));

  it('serves the same bytes cold, warm, paged, from generator processes and from the main thread', async () => {
    const query = 'start=2023-12-20&end=2024-01-31';
    const cold = await ndjson(threaded, query);
    expect(cold.statusCode).toBe(200);
    expect(cold.headers.etag).toBeUndefined(); // nothing generated before: no ETag yet
    const warm = await ndjson(threaded, query);
    expect(warm.rawPayload.equals(cold.rawPayload)).toBe(true);
    expect(threaded.gl.store.stats().days).toBeGreaterThan(40);
    const uncached = await ndjson(inline, query);
    expect(uncached.rawPayload.equals(cold.rawPayload)).toBe(true);
    const lines = cold.body.split('\n').filter((l) => l.length > 0);
    expect(lines.length).toBeGreaterThan(1000);
    for (const limit of [1, 333, 10_000]) {
      expect((await pagedLines(threaded, '2023-12-20', '2024-01-31', limit)).lines).toEqual(lines);
    }
    expect((await pagedLines(inline, '2023-12-20', '2024-01-31', 97)).lines).toEqual(lines);
  });

  it('answers a repeated range with its ETag, and 304 to If-None-Match', async () => {
    const query = 'start=2024-01-02&end=2024-01-05';
    await ndjson(threaded, query);
    const first = await ndjson(threaded, query);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    const again = await ndjson(threaded, query, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // another range, another cut by the watermark, or the page form: another ETag
    const other = await ndjson(threaded, 'start=2024-01-02&end=2024-01-06');
    await ndjson(threaded, 'start=2024-01-02&end=2024-01-06');
    expect((await ndjson(threaded, 'start=2024-01-02&end=2024-01-06')).headers.etag).not.toBe(etag);
    expect(other.statusCode).toBe(200);
    const page = await threaded.inject({ url: `/v1/gl/entries?${query}` });
    expect(page.headers.etag).not.toBe(etag);
    const stale = await ndjson(threaded, query, { 'if-none-match': '"not-it"' });
    expect(stale.statusCode).toBe(200);
    expect(stale.rawPayload.equals(first.rawPayload)).toBe(true);
  });

  it('compiles a serializer that writes exactly what JSON.stringify writes', async () => {
    const lines = await ndjsonLines(inline, '2024-01-01', '2024-01-10');
    for (const text of lines) expect(serializeLine(JSON.parse(text))).toBe(text);
    const tricky = {
      ...JSON.parse(lines[0] as string),
      description: 'Quote " slash \\ tab \t é \u2028 \ud800',
    };
    expect(serializeLine(tricky)).toBe(JSON.stringify(tricky));
    const day = threaded.gl.ledger.journalsForDay(dayFromIso('2024-01-03'));
    for (const journal of day)
      for (const line of journal.lines) expect(serializeLine(line)).toBe(JSON.stringify(line));
  });
});
