import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayFromIso } from '../../api/src/generator/calendar.ts';
import { serializeLine } from '../../api/src/generator/serialize.ts';
import { build, ndjsonLines, pagedLines, startServiceProcess } from './helpers.ts';

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

  it('serves the same bytes cold, warm, paged, from worker threads and from the main thread', async () => {
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

describe('the event loop during a full-year export (service in its own process)', () => {
  it('answers /health within 250 ms (p95, none over 1 s) throughout an export read as fast as possible', async () => {
    const service = await startServiceProcess({
      GL_WELLS: '100',
      GL_AS_OF: '2024-01-31',
      GL_API_THREADS: '2',
    });
    try {
      let done = false;
      const latencies: number[] = [];
      const probe = (async () => {
        while (!done) {
          const started = performance.now();
          const res = await fetch(`${service.url}/health`);
          await res.arrayBuffer();
          latencies.push(performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      const res = await fetch(`${service.url}/v1/gl/entries?start=2023-01-31&end=2024-01-30`, {
        headers: { accept: 'application/x-ndjson' },
      });
      let bytes = 0;
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
      done = true;
      await probe;
      expect(res.status).toBe(200);
      expect(bytes).toBeGreaterThan(100_000_000);
      // Before the fix /health got 2 answers in a 25 s export (each waited seconds). On a 2-core
      // machine shared with other work the OS alone delays a few round trips by some 100 ms, so
      // the bound is on 95% of the probes, and no probe may wait a second.
      const sorted = [...latencies].sort((a, b) => a - b);
      const p95 = sorted[Math.floor(sorted.length * 0.95)] as number;
      expect(latencies.length).toBeGreaterThan(20);
      expect(p95, `p95 of ${latencies.length} probes`).toBeLessThan(250);
      expect(Math.max(...latencies), 'slowest probe').toBeLessThan(1000);
    } finally {
      await service.stop();
    }
  });
});
