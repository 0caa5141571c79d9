import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { GlLineSchema } from '../../contracts/gl-line.ts';
import { AccountSchema, AfeSchema, OwnerSchema, WellSchema } from '../../contracts/reference.ts';
import { encodeCursor } from '../../api/src/generator/cursor.ts';
import { dayFromIso } from '../../api/src/generator/calendar.ts';
import { build, ndjsonLines, pagedLines } from './helpers.ts';

describe('GET /v1/gl/entries', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await build();
  });
  afterAll(() => app.close());

  it('returns the same bytes in any page size, as NDJSON, and from a second app instance', async () => {
    const ndjson = await ndjsonLines(app, '2023-12-30', '2024-01-02');
    expect(ndjson.length).toBeGreaterThan(200);
    for (const limit of [1, 7, 50, 10_000]) {
      const { lines } = await pagedLines(app, '2023-12-30', '2024-01-02', limit);
      expect(lines).toEqual(ndjson);
    }
    const other = await build();
    try {
      expect(await ndjsonLines(other, '2023-12-30', '2024-01-02')).toEqual(ndjson);
    } finally {
      await other.close();
    }
    for (const line of ndjson) expect(Value.Check(GlLineSchema, JSON.parse(line))).toBe(true);
  });

  it('never splits a journal across pages and respects the limit unless one journal exceeds it', async () => {
    const { pages } = await pagedLines(app, '2024-01-01', '2024-01-03', 25);
    const seen = new Set<string>();
    for (const page of pages as { journal_id: string }[][]) {
      const journals = new Set(page.map((l) => l.journal_id));
      for (const j of journals) {
        expect(seen.has(j), `journal ${j} on two pages`).toBe(false);
        seen.add(j);
      }
      if (journals.size > 1) expect(page.length).toBeLessThanOrEqual(25);
    }
  });

  it('serves the as-of day only up to the last completed stream slot', async () => {
    const lines = (await ndjsonLines(app, '2024-01-31', '2024-01-31')).map(
      (l) => JSON.parse(l) as { journal_id: string },
    );
    const full = app.gl.ledger.journalsForDay(dayFromIso('2024-01-31'));
    const served = full.filter((j) => j.postedAt < Date.parse('2024-01-31T06:00:00Z') / 1000);
    expect(new Set(lines.map((l) => l.journal_id)).size).toBe(served.length);
    expect(served.length).toBeLessThan(full.length);
  });

  const problems: [string, string, number, RegExp][] = [
    ['start after end', 'start=2024-01-05&end=2024-01-01', 422, /after end/],
    ['impossible date', 'start=2024-02-30&end=2024-03-01', 400, /start: must be a real calendar date/],
    ['malformed date', 'start=yesterday&end=2024-01-01', 400, /start/],
    ['missing end', 'start=2024-01-01', 400, /end: is required/],
    ['limit too large', 'start=2024-01-01&end=2024-01-02&limit=10001', 400, /limit: must be <= 10000/],
    ['limit zero', 'start=2024-01-01&end=2024-01-02&limit=0', 400, /limit/],
    ['limit not a number', 'start=2024-01-01&end=2024-01-02&limit=ten', 400, /limit/],
    ['range over 366 days', 'start=2023-01-31&end=2024-02-01', 422, /at most 366/],
    ['before the served history', 'start=2023-01-30&end=2023-02-02', 422, /serves posting dates 2023-01-31/],
    ['after the stream position', 'start=2024-01-30&end=2024-02-01', 422, /outside/],
    ['garbage cursor', 'start=2024-01-01&end=2024-01-02&cursor=bm9wZQ', 422, /cursor/],
    ['cursor with bad characters', 'start=2024-01-01&end=2024-01-02&cursor=%24%24', 400, /cursor/],
    [
      'cursor from another range',
      `start=2024-01-01&end=2024-01-02&cursor=${encodeCursor({ day: dayFromIso('2024-01-10'), seq: 3 })}`,
      422,
      /outside/,
    ],
  ];
  it.each(problems)('answers %s with a problem+json %i', async (_name, query, status, detail) => {
    const res = await app.inject({ url: `/v1/gl/entries?${query}` });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json() as {
      status: number;
      detail: string;
      title: string;
      type: string;
      request_id: string;
    };
    expect(body.status).toBe(status);
    expect(body.detail).toMatch(detail);
    expect(body.request_id).toBe(res.headers['x-request-id']);
  });

  it('answers unknown routes with a problem+json 404 and other methods with 405', async () => {
    const res = await app.inject({ url: '/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    for (const method of ['POST', 'DELETE', 'TRACE'] as const) {
      const wrong = await app.inject({ method, url: '/v1/wells' });
      expect(wrong.statusCode).toBe(405);
      expect(wrong.headers.allow).toBe('GET, HEAD');
      expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('reference endpoints, health and docs', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await build();
  });
  afterAll(() => app.close());

  it.each([
    ['/v1/wells', WellSchema],
    ['/v1/owners', OwnerSchema],
    ['/v1/accounts', AccountSchema],
    ['/v1/afes', AfeSchema],
  ] as const)('%s returns {data: [...]} matching its schema', async (url, schema) => {
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { data: unknown[] };
    expect(body.data.length).toBeGreaterThan(0);
    for (const item of body.data) expect(Value.Check(schema, item)).toBe(true);
  });

  it('has a health check, an OpenAPI 3.1 document and Swagger UI', async () => {
    const health = await app.inject({ url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({
      status: 'ok',
      as_of: '2024-01-31',
      served_until: '2024-01-31T06:00:00Z',
    });
    const doc = (await app.inject({ url: '/openapi.json' })).json() as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/gl/entries', '/get-gl', '/v1/wells', '/health']),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['GlLine', 'Problem', 'Well']),
    );
    const docs = await app.inject({ url: '/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });
});
