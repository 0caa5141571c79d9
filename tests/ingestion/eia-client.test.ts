/**
 * EIA client parsing and paging, and the replay server's live shape, over the real data in
 * ../shared/data/eia served on 127.0.0.1. Never calls the live API.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/config.ts';
import { getSeries } from '../../ingestion/src/eia/catalog.ts';
import {
  EiaClient,
  EiaError,
  parseCount,
  parseDataResponse,
  parseEiaValue,
  parseObservation,
} from '../../ingestion/src/eia/client.ts';
import { isValidPeriod, shiftPeriod, toEndPeriod, toPeriod } from '../../ingestion/src/eia/periods.ts';
import { encodeDataQuery } from '../../ingestion/src/eia/query.ts';
import { productionDuoarea } from '../../ingestion/src/eia/replay/dataset.ts';
import { startEiaReplayServer, type EiaReplayServer } from '../../ingestion/src/eia/replay/server.ts';

const EIA_DIR = path.resolve(PROJECT_ROOT, '../shared/data/eia');
const KEY = 'test-key-0123456789';
const RWTC = getSeries('RWTC')!;
const TX = getSeries('MCRFPTX1')!;

let replay: EiaReplayServer;
const client = (options: Partial<ConstructorParameters<typeof EiaClient>[0]> = {}) =>
  new EiaClient({
    baseUrl: replay.baseUrl,
    apiKey: KEY,
    requestsPerSecond: 1000,
    retry: { retries: 2, minDelayMs: 5, maxDelayMs: 10 },
    ...options,
  });

beforeAll(async () => {
  replay = await startEiaReplayServer({ dir: EIA_DIR, port: 0 });
});
afterAll(async () => {
  await replay.close();
});

describe('parsing', () => {
  it('types values exactly: null, leading-dot, negatives, garbage', () => {
    expect(parseEiaValue(null)).toBeNull();
    expect(parseEiaValue('.833')).toBe('0.833');
    expect(parseEiaValue('-.5')).toBe('-0.5');
    expect(parseEiaValue('-36.98')).toBe('-36.98');
    expect(parseEiaValue('25')).toBe('25');
    expect(parseEiaValue(3.5)).toBe('3.5');
    for (const bad of ['NA', 'W', '', '1,234', '--', {}, undefined, true])
      expect(parseEiaValue(bad)).toBeUndefined();
  });

  it('accepts counts as strings or integers', () => {
    expect(parseCount('10226')).toBe(10226);
    expect(parseCount(5000)).toBe(5000);
    expect(parseCount('-1')).toBeUndefined();
    expect(parseCount('12a')).toBeUndefined();
    expect(parseCount(1.5)).toBeUndefined();
    expect(parseDataResponse({ response: { total: 2, data: [{}, {}] } }).total).toBe(2);
    expect(() => parseDataResponse({ response: { total: 'x', data: [] } })).toThrow(/not a count/);
    expect(() => parseDataResponse({ error: 'nope' })).toThrow(/no "response"/);
  });

  it('validates periods per frequency', () => {
    expect(isValidPeriod('2020-04-20', 'daily')).toBe(true);
    expect(isValidPeriod('2020-02-30', 'daily')).toBe(false);
    expect(isValidPeriod('2020-04', 'daily')).toBe(false);
    expect(isValidPeriod('2020-04', 'monthly')).toBe(true);
    expect(isValidPeriod('2020-13', 'monthly')).toBe(false);
    expect(isValidPeriod('2020', 'annual')).toBe(true);
    expect(toPeriod('2015-01-15', 'monthly')).toBe('2015-01');
    expect(toEndPeriod('2020-04', 'daily')).toBe('2020-04-31');
    expect(shiftPeriod('2026-08-18', 'daily', { days: 14 })).toBe('2026-08-04');
    expect(shiftPeriod('2024-01', 'monthly', { months: 24 })).toBe('2022-01');
  });

  it('types a row and explains a rejected one', () => {
    const row = {
      period: '2020-04-20',
      duoarea: 'YCUOK',
      'area-name': 'NA',
      series: 'RWTC',
      value: '-36.98',
      units: '$/BBL',
    };
    const ok = parseObservation(row, RWTC);
    expect(ok).toEqual({
      ok: true,
      observation: {
        seriesId: 'RWTC',
        frequency: 'daily',
        period: '2020-04-20',
        periodStart: '2020-04-20',
        value: '-36.98',
        units: '$/BBL',
        route: 'petroleum/pri/spt',
        facets: { series: 'RWTC', duoarea: 'YCUOK', 'area-name': 'NA' },
      },
    });
    expect(parseObservation({ ...row, period: '2024-01', series: 'MCRFPTX1' }, TX)).toMatchObject({
      ok: true,
      observation: { periodStart: '2024-01-01' },
    });
    expect(parseObservation({ ...row, value: 'W' }, RWTC)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/numeric/),
    });
    expect(parseObservation({ ...row, period: '2020-04' }, RWTC)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/daily period/),
    });
    expect(parseObservation({ ...row, series: 'RBRTE' }, RWTC)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/catalog/),
    });
  });

  it('builds the query with the key last and nowhere else', () => {
    const query = encodeDataQuery(
      {
        frequency: 'daily',
        data: ['value'],
        facets: { series: ['RWTC'] },
        start: '2020-01-01',
        sort: [{ column: 'period', direction: 'asc' }],
        offset: 0,
        length: 5000,
      },
      KEY,
    );
    expect(query.toString()).toBe(
      'frequency=daily&data%5B0%5D=value&facets%5Bseries%5D%5B%5D=RWTC&start=2020-01-01&sort%5B0%5D%5Bcolumn%5D=period' +
        `&sort%5B0%5D%5Bdirection%5D=asc&offset=0&length=5000&api_key=${KEY}`,
    );
  });

  it('maps production series to their duoarea', () => {
    expect(productionDuoarea('MCRFPTX1')).toBe('STX');
    expect(productionDuoarea('MCRFPUS1')).toBe('NUS');
    expect(productionDuoarea('MCRFPP31')).toBe('R30');
  });
});

describe('replay server: the live shape', () => {
  const get = async (pathAndQuery: string) => {
    const response = await fetch(`${replay.baseUrl}/${pathAndQuery}`);
    return { status: response.status, text: await response.text() };
  };
  const key = `api_key=${KEY}`;

  it('serves strings, nulls, escaped slashes and the request echo', async () => {
    const { status, text } = await get(
      `natural-gas/pri/fut/data/?frequency=daily&data[0]=value&facets[series][]=RNGWHHD&start=2018-01-04&end=2018-01-05&${key}`,
    );
    expect(status).toBe(200);
    expect(text).toContain('"units":"$\\/MMBTU"');
    const body = JSON.parse(text);
    expect(body.response.total).toBe('2');
    expect(body.response.dateFormat).toBe('YYYY-MM-DD');
    expect(body.response.data).toEqual([
      expect.objectContaining({ period: '2018-01-04', value: '4.65', series: 'RNGWHHD', 'area-name': 'NA' }),
      expect.objectContaining({ period: '2018-01-05', value: null }),
    ]);
    expect(Object.keys(body.response.data[0])).toEqual([
      'period',
      'duoarea',
      'area-name',
      'product',
      'product-name',
      'process',
      'process-name',
      'series',
      'series-description',
      'value',
      'units',
    ]);
    expect(body.request.params).toMatchObject({ frequency: 'daily', offset: '0', length: '5000' });
    expect(text).not.toContain(KEY);
  });

  it('compares start/end as text, pages with a warning, filters facets', async () => {
    const monthly = JSON.parse(
      (
        await get(
          `petroleum/crd/crpdn/data/?frequency=monthly&data[0]=value&facets[series][]=MCRFPTX1&start=2008-02-01&end=2008-04&${key}`,
        )
      ).text,
    );
    expect(monthly.response.data.map((r: { period: string }) => r.period)).toEqual(['2008-03', '2008-04']);
    expect(monthly.response.data[0]).toMatchObject({
      duoarea: 'STX',
      product: 'EPC0',
      process: 'FPF',
      units: 'MBBL',
    });

    const paged = JSON.parse(
      (
        await get(
          `petroleum/pri/spt/data/?frequency=daily&data[0]=value&facets[series][]=RWTC&sort[0][column]=period&sort[0][direction]=desc&offset=10&length=2&${key}`,
        )
      ).text,
    );
    expect(paged.response.total).toBe('10226');
    expect(paged.response.warnings[0].warning).toBe('incomplete return');
    expect(paged.response.data.map((r: { period: string }) => r.period)).toEqual([
      '2026-08-04',
      '2026-08-03',
    ]);

    const both = JSON.parse(
      (
        await get(
          `petroleum/pri/spt/data/?frequency=daily&data[0]=value&facets[series][]=RWTC&facets[series][]=RBRTE&start=2020-04-20&end=2020-04-20&${key}`,
        )
      ).text,
    );
    expect(both.response.data.map((r: { series: string; value: string }) => [r.series, r.value])).toEqual([
      ['RBRTE', '17.36'],
      ['RWTC', '-36.98'],
    ]);
    const none = JSON.parse(
      (await get(`petroleum/pri/spt/data/?frequency=daily&facets[series][]=NOPE&${key}`)).text,
    );
    expect(none.response).toMatchObject({ total: '0', data: [] });
  });

  it('answers metadata, facets and the documented errors', async () => {
    const meta = JSON.parse((await get(`petroleum/pri/spt?${key}`)).text).response;
    expect(meta).toMatchObject({
      defaultFrequency: 'daily',
      defaultDateFormat: 'YYYY-MM-DD',
      startPeriod: '1986-01-02',
    });
    expect(meta.frequency.map((f: { id: string }) => f.id)).toEqual(['daily', 'monthly']);
    expect(meta.facets.map((f: { id: string }) => f.id)).toContain('series');
    const facet = JSON.parse((await get(`petroleum/pri/spt/facet/series?${key}`)).text).response;
    expect(facet.facets).toContainEqual({
      id: 'RWTC',
      name: 'Cushing, OK WTI Spot Price FOB (Dollars per Barrel)',
    });

    const missing = await get('petroleum/pri/spt/data/?frequency=daily');
    expect(missing.status).toBe(403);
    expect(JSON.parse(missing.text).error.code).toBe('API_KEY_MISSING');
    const bad = await get(`petroleum/pri/spt/data/?frequency=millenially&${key}`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({
      error: expect.stringMatching(/^Invalid frequency 'millenially'/),
      code: 400,
    });
    const unknown = await get(`petroleum/nothing/data/?${key}`);
    expect(unknown).toEqual({ status: 404, text: '{"error":"Not found.","code":404}' });
  });
});

describe('client', () => {
  it('pages through the whole WTI daily history and checks the total', async () => {
    const fetched = await client().fetchSeries(RWTC);
    expect(fetched.total).toBe(10226);
    expect(fetched.pages.map((p) => p.rows.length)).toEqual([5000, 5000, 226]);
    expect(fetched.pages.map((p) => p.params.offset)).toEqual([0, 5000, 10000]);
    expect(fetched.rows).toHaveLength(10226);
    expect(new Set(fetched.rows.map((r) => r.period)).size).toBe(10226);
    expect(fetched.rows[0]).toMatchObject({ period: '1986-01-02', value: '25.56' });
    expect(fetched.rows.find((r) => r.period === '2020-04-20')?.value).toBe('-36.98');
    expect(fetched.warnings).toEqual([]); // "incomplete return" is expected while paging
    expect(JSON.stringify(fetched.pages.map((p) => p.params))).not.toContain(KEY);
  });

  it('fails loudly when the rows received differ from total', async () => {
    // total 3, but only one row at offset 0 and nothing after; or 4 rows in one page of total 3
    let mode: 'short' | 'long' = 'short';
    const row = (d: number) => ({ period: `2020-01-0${d}`, series: 'RWTC', value: '1' });
    const liar = http.createServer((req, res) => {
      const offset = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('offset'));
      const data = mode === 'long' ? [1, 2, 3, 4].map(row) : offset === 0 ? [row(1)] : [];
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ response: { total: 3, data } }));
    });
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    try {
      const port = (liar.address() as AddressInfo).port;
      const liarClient = client({ baseUrl: `http://127.0.0.1:${port}/v2` });
      const short = await liarClient.fetchSeries(RWTC).catch((e: unknown) => e);
      expect(short).toBeInstanceOf(EiaError);
      expect((short as Error).message).toMatch(/empty page at offset 1 although total is 3/);
      mode = 'long';
      const long = await liarClient.fetchSeries(RWTC).catch((e: unknown) => e);
      expect((long as Error).message).toMatch(/received 4 rows but the API reported a total of 3/);
    } finally {
      liar.closeAllConnections();
      await new Promise((resolve) => liar.close(resolve));
    }
  });

  it('a 403 names EIA_API_KEY and never shows the key', async () => {
    const strict = await startEiaReplayServer({ dir: EIA_DIR, port: 0, validKeys: ['the-only-valid-key'] });
    try {
      const invalid = await client({ baseUrl: strict.baseUrl })
        .fetchSeries(RWTC, { start: '2020-01-01' })
        .catch((e: unknown) => e);
      expect(invalid).toBeInstanceOf(EiaError);
      expect((invalid as EiaError).status).toBe(403);
      expect((invalid as Error).message).toMatch(/API_KEY_INVALID.*EIA_API_KEY/);
      expect((invalid as Error).message).not.toContain(KEY);
      expect(strict.requests).toBe(1); // 403 is not retried

      const missing = await client({ baseUrl: strict.baseUrl, apiKey: undefined })
        .fetchSeries(RWTC)
        .catch((e: unknown) => e);
      expect((missing as Error).message).toMatch(/API_KEY_MISSING.*set EIA_API_KEY/);
    } finally {
      await strict.close();
    }
  });

  it('400 and 404 are final and explained', async () => {
    const e400 = await client()
      .fetchPage('petroleum/pri/spt', {
        frequency: 'millenially' as 'daily',
        data: ['value'],
        facets: {},
        sort: [],
        offset: 0,
        length: 10,
      })
      .catch((e: unknown) => e);
    expect((e400 as EiaError).status).toBe(400);
    expect((e400 as Error).message).toMatch(/rejected the request \(HTTP 400: Invalid frequency/);
    const e404 = await client()
      .getJson('petroleum/nothing')
      .catch((e: unknown) => e);
    expect((e404 as EiaError).status).toBe(404);
    expect((e404 as Error).message).toMatch(/no such route/);
    expect((e404 as Error).message).not.toContain(KEY);
  });
});
