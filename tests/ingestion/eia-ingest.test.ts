/**
 * EIA ingestion end to end against a real PostgreSQL and the replay server on 127.0.0.1:
 * idempotent reruns, look-back, revisions with history, quarantine, archive replay, and
 * fault injection (5xx, 429 + Retry-After, timeouts, truncated and malformed bodies, resets)
 * ending in exactly the raw tables of a clean run.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayEiaArchive } from '../../ingestion/src/eia/archive.ts';
import { planRange } from '../../ingestion/src/eia/ingest.ts';
import { getSeries } from '../../ingestion/src/eia/catalog.ts';
import {
  startEiaReplayServer,
  type EiaReplayServer,
  type ReplayFault,
} from '../../ingestion/src/eia/replay/server.ts';
import {
  batches,
  EIA_DIR,
  eiaDatabase,
  fastClient,
  quietLog,
  run,
  snapshot,
  TEST_KEY,
  type EiaTestDatabase,
} from './eia-helpers.ts';

const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

async function database(): Promise<{ db: EiaTestDatabase; pool: pg.Pool }> {
  const db = await eiaDatabase();
  cleanup.push(() => db.drop());
  return { db, pool: db.pool };
}

async function replay(
  options: Partial<Parameters<typeof startEiaReplayServer>[0]> = {},
): Promise<EiaReplayServer> {
  const server = await startEiaReplayServer({ dir: EIA_DIR, port: 0, ...options });
  cleanup.push(() => server.close());
  return server;
}

let clean: EiaReplayServer;
beforeAll(async () => {
  clean = await replay();
});

describe('loading and reloading', () => {
  const args = { series: ['RWTC', 'MCRFPTX1', 'RNGWHHD'], from: '2017-06-01', to: '2018-06-30' };

  it('loads, archives, advances watermarks; a second run changes nothing', async () => {
    const { db, pool } = await database();
    const first = await run(pool, clean.baseUrl, args);
    expect(first.map((o) => [o.series, o.status, o.counts?.inserted])).toEqual([
      ['RWTC', 'succeeded', 272],
      ['MCRFPTX1', 'succeeded', 13],
      ['RNGWHHD', 'succeeded', 276],
    ]);
    const afterFirst = await snapshot(db);
    expect(afterFirst.watermarks).toEqual([
      { key: 'MCRFPTX1', value: '2018-06' },
      { key: 'RNGWHHD', value: '2018-06-29' },
      { key: 'RWTC', value: '2018-06-29' },
    ]);
    const hh = afterFirst.observations.find((o) => o.series_id === 'RNGWHHD' && o.period === '2018-01-05');
    expect(hh).toMatchObject({ value: null, units: '$/MMBTU', period_start: '2018-01-05' });
    const tx = afterFirst.observations.find((o) => o.series_id === 'MCRFPTX1' && o.period === '2018-01');
    expect(tx).toMatchObject({
      period_start: '2018-01-01',
      units: 'MBBL',
      facets: expect.objectContaining({ duoarea: 'STX' }),
    });

    const second = await run(pool, clean.baseUrl, args);
    expect(second.map((o) => o.counts)).toEqual(
      first.map((o) => ({ ...o.counts, inserted: 0, unchanged: o.counts!.received, revised: 0 })),
    );
    expect(await snapshot(db)).toEqual(afterFirst);

    const all = await batches(db);
    expect(all).toHaveLength(6);
    expect(all.every((b) => b.status === 'succeeded' && b.error === null)).toBe(true);
    expect(all[0]).toMatchObject({
      entity: 'RWTC',
      rows_received: 272,
      rows_inserted: 272,
      params: { mode: 'backfill', start: '2017-06-01', end: '2018-06-30' },
    });
    expect(all[3]).toMatchObject({
      entity: 'RWTC',
      rows_received: 272,
      rows_unchanged: 272,
      rows_inserted: 0,
    });

    // the rerun changed nothing: its responses are on record in its batches, not archived again
    const archive = await db.query(
      `SELECT route, params, row_count, http_status, body_hash FROM raw.eia_responses ORDER BY response_id`,
    );
    expect(archive.rows).toHaveLength(3);
    expect(archive.rows[0]).toMatchObject({ route: 'petroleum/pri/spt', row_count: 272, http_status: 200 });
    expect(archive.rows[0].params).toMatchObject({
      facets: { series: ['RWTC'] },
      start: '2017-06-01',
      offset: 0,
      length: 5000,
    });
    expect(all[3]!.params).toMatchObject({ responses: [archive.rows[0].body_hash], archived_responses: 0 });
    const leaks = await db.query(
      `SELECT count(*)::int AS n FROM raw.eia_responses WHERE params::text LIKE $1 OR body::text LIKE $1`,
      [`%${TEST_KEY}%`],
    );
    expect(leaks.rows[0].n).toBe(0);
  });

  it('plans first runs from the catalog start and later runs from the watermark minus the look-back', async () => {
    const { db, pool } = await database();
    expect(await planRange(pool, getSeries('RWTC')!)).toEqual({
      start: '2015-01-01',
      end: undefined,
      mode: 'initial',
    });
    expect(await planRange(pool, getSeries('MCRFPUS1')!)).toMatchObject({
      start: '2015-01',
      mode: 'initial',
    });
    await run(pool, clean.baseUrl, { series: ['RWTC', 'MCRFPUS1'], from: '2023-01-01' });
    expect(await planRange(pool, getSeries('RWTC')!)).toEqual({
      start: '2026-08-04',
      end: undefined,
      mode: 'incremental',
      watermark: '2026-08-18',
    });
    expect(await planRange(pool, getSeries('MCRFPUS1')!)).toMatchObject({
      start: '2022-01',
      watermark: '2024-01',
    });

    const incremental = await run(pool, clean.baseUrl, { series: ['RWTC', 'MCRFPUS1'] });
    expect(
      incremental.map((o) => [o.series, o.range?.start, o.counts?.received, o.counts?.unchanged]),
    ).toEqual([
      ['RWTC', '2026-08-04', 11, 11],
      ['MCRFPUS1', '2022-01', 25, 13], // 2022 was not loaded before: 12 new
    ]);
    // a backfill of older periods never moves the watermark back
    await run(pool, clean.baseUrl, { series: ['RWTC'], from: '2010-01-01', to: '2010-01-31' });
    expect((await snapshot(db)).watermarks).toContainEqual({ key: 'RWTC', value: '2026-08-18' });
  });

  it('a series with no rows in the range is a warning, not a failure', async () => {
    const { db, pool } = await database();
    const [outcome] = await run(pool, clean.baseUrl, { series: ['RBRTE'], from: '2030-01-01' });
    expect(outcome).toMatchObject({ status: 'succeeded', counts: { received: 0 } });
    const [batch] = await batches(db);
    expect(batch).toMatchObject({ status: 'succeeded', rows_received: 0 });
    expect(batch!.warnings).toEqual([expect.stringMatching(/^no rows for RBRTE between 2030-01-01/)]);
    expect((await snapshot(db)).watermarks).toEqual([]);
  });
});

describe('revisions', () => {
  it('updates a revised value in place, keeps the previous one, and reruns stay unchanged', async () => {
    const { db, pool } = await database();
    const server = await replay();
    const args = { series: ['RWTC'], from: '2020-04-01', to: '2020-04-30' };
    const [first] = await run(pool, server.baseUrl, args);
    expect(first!.counts).toMatchObject({ received: 21, inserted: 21 });
    const before = await db.query(
      `SELECT updated_at FROM raw.eia_observations WHERE series_id = 'RWTC' AND period = '2020-04-20'`,
    );

    server.setValue('RWTC', 'daily', '2020-04-20', '-37.63');
    const [second] = await run(pool, server.baseUrl, args);
    expect(second!.counts).toEqual({ received: 21, inserted: 0, unchanged: 20, revised: 1, quarantined: 0 });
    const row = await db.query(
      `SELECT value::text, revision, first_batch_id::int, batch_id::int FROM raw.eia_observations WHERE series_id = 'RWTC' AND period = '2020-04-20'`,
    );
    expect(row.rows).toEqual([
      { value: '-37.63', revision: 1, first_batch_id: first!.batchId, batch_id: second!.batchId },
    ]);
    const history = await db.query(
      `SELECT revision, value::text, batch_id::int, replaced_by_batch_id::int, valid_from FROM raw.eia_observation_revisions`,
    );
    expect(history.rows).toEqual([
      {
        revision: 0,
        value: '-36.98',
        batch_id: first!.batchId,
        replaced_by_batch_id: second!.batchId,
        valid_from: before.rows[0].updated_at,
      },
    ]);

    const [third] = await run(pool, server.baseUrl, args);
    expect(third!.counts).toMatchObject({ unchanged: 21, revised: 0, inserted: 0 });

    server.setValue('RWTC', 'daily', '2020-04-20', null); // EIA withdraws the value
    const [fourth] = await run(pool, server.baseUrl, args);
    expect(fourth!.counts).toMatchObject({ revised: 1, unchanged: 20 });
    const count = await db.query(`SELECT count(*)::int AS n FROM raw.eia_observations`);
    expect(count.rows[0].n).toBe(21);
    const revisions = await db.query(
      `SELECT revision, value::text FROM raw.eia_observation_revisions ORDER BY revision`,
    );
    expect(revisions.rows).toEqual([
      { revision: 0, value: '-36.98' },
      { revision: 1, value: '-37.63' },
    ]);
  });
});

describe('validation', () => {
  it('quarantines invalid rows with the reason and loads the rest', async () => {
    const { db, pool } = await database();
    const base = { duoarea: 'YCUOK', 'area-name': 'NA', series: 'RWTC', units: '$/BBL' };
    const data = [
      { ...base, period: '2020-04-17', value: '18.31' },
      { ...base, period: '2020-04-20', value: '-.5' },
      { ...base, period: '2020-04-21', value: 'W' },
      { ...base, period: '2020-13-01', value: '1' },
      { ...base, series: 'RBRTE', period: '2020-04-22', value: '1' },
      { ...base, period: '2020-04-17', value: '18.31' },
    ];
    const body = JSON.stringify({
      response: { total: String(data.length), data },
      request: { command: '/v2/petroleum/pri/spt/data/', params: { frequency: 'daily', api_key: TEST_KEY } },
    });
    const server = await replay({
      fault: ({ path }) => (path.endsWith('/data') ? { kind: 'status', status: 200, body } : undefined),
    });
    const [outcome] = await run(pool, server.baseUrl, { series: ['RWTC'], from: '2020-04-01' });
    expect(outcome!.counts).toEqual({ received: 6, inserted: 2, unchanged: 0, revised: 0, quarantined: 4 });
    const values = await db.query(`SELECT period, value::text FROM raw.eia_observations ORDER BY period`);
    expect(values.rows).toEqual([
      { period: '2020-04-17', value: '18.31' },
      { period: '2020-04-20', value: '-0.5' },
    ]);
    const quarantined = await db.query(
      `SELECT record_key, reason, payload->>'value' AS value FROM ops.quarantine WHERE source = 'eia' ORDER BY quarantine_id`,
    );
    expect(quarantined.rows.map((r) => r.reason)).toEqual([
      expect.stringMatching(/value "W" is neither numeric nor null/),
      expect.stringMatching(/period "2020-13-01" is not a daily period/),
      expect.stringMatching(/series "RBRTE" is not the requested catalog series RWTC/),
      'duplicate period in the response',
    ]);
    expect(quarantined.rows[0].record_key).toBe('RWTC|daily|2020-04-21');
    const archived = await db.query(`SELECT body FROM raw.eia_responses`);
    expect(archived.rows[0].body.request.params).toEqual({ frequency: 'daily' }); // echoed key removed
  });
});

describe('archive replay', () => {
  it('rebuilds raw observations and their revision history from raw.eia_responses alone', async () => {
    const { db, pool } = await database();
    const server = await replay();
    const args = { series: ['RWTC', 'MCRFPTX1'], from: '2020-01-01', to: '2020-06-30' };
    await run(pool, server.baseUrl, args);
    server.setValue('MCRFPTX1', 'monthly', '2020-03', '160000');
    await run(pool, server.baseUrl, args);
    const expected = await snapshot(db);
    expect(expected.revisions).toHaveLength(1);

    await db.query(
      `TRUNCATE raw.eia_observations, raw.eia_observation_revisions; DELETE FROM ops.watermarks`,
    );
    await server.close(); // no EIA from here on
    const outcomes = (await replayEiaArchive({ pool, log: quietLog }, { series: ['RWTC', 'MCRFPTX1'] }))
      .details.series;
    expect(outcomes.map((o) => [o.series, o.status, o.counts?.inserted, o.counts?.revised])).toEqual([
      ['RWTC', 'succeeded', 125, 0],
      ['MCRFPTX1', 'succeeded', 6, 1],
    ]);
    expect(await snapshot(db)).toEqual(expected);
    const replayBatches = (await batches(db)).filter((b) => 'replay_of' in b.params);
    // RWTC's second fetch changed nothing and was not archived; MCRFPTX1's brought the revision
    expect(replayBatches.map((b) => b.params.replay_of)).toEqual([[1], [2, 4]]);
  });
});

describe('fault injection', () => {
  const args = { series: ['RWTC', 'MCRFPTX1', 'RNGWHHD'], from: '1986-01-01' };

  it('500s, 429 + Retry-After, timeouts, truncated and malformed bodies, resets: same raw tables as a clean run', async () => {
    const reference = await database();
    const cleanOutcomes = await run(reference.pool, clean.baseUrl, args);
    expect(cleanOutcomes.every((o) => o.status === 'succeeded')).toBe(true);

    const faults: Record<number, ReplayFault> = {
      1: { kind: 'status', status: 500 },
      2: { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
      3: { kind: 'hang' },
      5: { kind: 'truncate' }, // RWTC page 2
      6: { kind: 'malformed' },
      8: { kind: 'reset' },
      9: { kind: 'status', status: 503, headers: { 'retry-after': '0' } },
      10: { kind: 'status', status: 200, body: '{"response":{"total":"12","data":[' },
      12: { kind: 'status', status: 502, body: '<html>bad gateway</html>' },
    };
    let dataRequests = 0;
    const faulty = await replay({
      fault: ({ path }) => (path.endsWith('/data') ? faults[++dataRequests] : undefined),
    });
    const target = await database();
    const outcomes = await run(target.pool, faulty.baseUrl, {
      ...args,
      // long enough for an answer while other suites share the cores, short for the hung request
      client: fastClient(faulty.baseUrl, { timeoutMs: 1_000 }),
    });
    expect(outcomes.map((o) => [o.series, o.status, o.error])).toEqual([
      ['RWTC', 'succeeded', undefined],
      ['MCRFPTX1', 'succeeded', undefined],
      ['RNGWHHD', 'succeeded', undefined],
    ]);
    expect(dataRequests).toBeGreaterThan(12);
    expect(await snapshot(target.db)).toEqual(await snapshot(reference.db));
    const archived = `SELECT b.entity, count(*)::int AS responses, sum(row_count)::int AS rows
                        FROM raw.eia_responses r JOIN ops.ingestion_batches b USING (batch_id)
                       GROUP BY b.entity ORDER BY b.entity`;
    expect((await target.db.query(archived)).rows).toEqual((await reference.db.query(archived)).rows);
    expect((await target.db.query(archived)).rows).toContainEqual({
      entity: 'RWTC',
      responses: 3,
      rows: 10226,
    });
  });

  it('exhausted retries fail the batch with nothing written; the next run loads it all', async () => {
    const { db, pool } = await database();
    const down = await replay({
      fault: ({ path }) => (path.endsWith('/data') ? { kind: 'status', status: 500 } : undefined),
    });
    const [failed] = await run(pool, down.baseUrl, {
      series: ['RBRTE'],
      from: '2020-01-01',
      client: fastClient(down.baseUrl, { retries: 2 }),
    });
    expect(failed).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/HTTP 500.*gave up after 3 attempts/),
    });
    expect(failed!.error).not.toContain(TEST_KEY);
    expect(await batches(db)).toMatchObject([{ status: 'failed', error: expect.stringMatching(/HTTP 500/) }]);
    expect(await snapshot(db)).toEqual({ observations: [], revisions: [], watermarks: [] });

    const [ok] = await run(pool, clean.baseUrl, { series: ['RBRTE'], from: '2020-01-01' });
    expect(ok).toMatchObject({ status: 'succeeded' });
    expect(ok!.counts!.inserted).toBeGreaterThan(1000);
  });
});
