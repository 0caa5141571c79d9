/**
 * GL backfill against the real GL service on 127.0.0.1, with and without a fault-injecting proxy
 * in front of it: raw ends equal to a clean run's, reruns change nothing, a changed line is
 * quarantined, other 4xx are not retried.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, ROLES } from '../../database/src/connection.ts';
import { ChunkBuilder, parseJsonLine } from '../../ingestion/src/gl/chunk.ts';
import { loadLineChunk } from '../../ingestion/src/gl/load-lines.ts';
import { glLineValidator } from '../../ingestion/src/gl/schema.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import {
  FAST_RETRY,
  rawSnapshot,
  startFaultProxy,
  startGlService,
  type GlService,
  runGl,
  type GlRun,
} from './gl-helpers.ts';

const AS_OF = '2024-01-31';
const quiet = pino({ level: 'silent' });

function options(db: TestDatabase, url: string, extra: Partial<GlRun> = {}): GlRun {
  return {
    databaseUrl: db.url,
    gl: { url, token: undefined, asOf: AS_OF },
    log: quiet,
    mode: { kind: 'incremental' },
    batchLines: 1000,
    requestTimeoutMs: 2000,
    idleTimeoutMs: 2000,
    retry: FAST_RETRY,
    ...extra,
  };
}

describe('GL backfill', () => {
  let service: GlService;
  let clean: TestDatabase;
  let cleanSnapshot: Awaited<ReturnType<typeof rawSnapshot>>;
  const databases: TestDatabase[] = [];

  beforeAll(async () => {
    service = await startGlService({ wells: 3, asOf: AS_OF });
    clean = await createTestDatabase();
    databases.push(clean);
  });

  afterAll(async () => {
    await service?.close();
    for (const db of databases) await db.drop();
  });

  it('loads reference data and the 365-day history, and a second run changes nothing', async () => {
    const first = await runGl(options(clean, service.url));
    expect(first.range).toEqual({ from: '2023-01-31', to: '2024-01-30' });
    expect(first.lines.inserted).toBeGreaterThan(5000);
    expect(first.lines).toMatchObject({ unchanged: 0, revised: 0, quarantined: 0 });
    expect(first.lines.received).toBe(first.lines.inserted);
    expect(first.reference?.inserted).toBeGreaterThan(0);
    expect(first.batches).toBeGreaterThan(5);

    const { rows: wm } = await clean.query(
      `SELECT value FROM ops.watermarks WHERE source = 'gl' AND key = 'lines'`,
    );
    expect(wm[0]?.value).toBe('2024-01-30');
    const { rows: count } = await clean.query<{ n: number; days: number; min: string; max: string }>(
      `SELECT count(*)::int AS n, count(DISTINCT posting_date)::int AS days, min(posting_date)::text AS min, max(posting_date)::text AS max FROM raw.gl_lines`,
    );
    expect(count[0]).toMatchObject({ n: first.lines.inserted, min: '2023-01-31', max: '2024-01-30' });
    // journals balance, lines are attributed to succeeded batches
    const { rows: unbalanced } = await clean.query(
      `SELECT journal_id FROM raw.gl_lines GROUP BY journal_id HAVING sum(debit) <> sum(credit)`,
    );
    expect(unbalanced).toEqual([]);
    const { rows: orphans } = await clean.query(
      `SELECT count(*)::int AS n FROM raw.gl_lines l JOIN ops.ingestion_batches b USING (batch_id) WHERE b.status <> 'succeeded'`,
    );
    expect(orphans[0]?.n).toBe(0);
    cleanSnapshot = await rawSnapshot(clean);

    // default run again: up to date, nothing requested
    const second = await runGl(options(clean, service.url));
    expect(second.range).toBeUndefined();
    expect(second.reference).toMatchObject({ inserted: 0, revised: 0 });
    // the same range explicitly: every line unchanged
    const third = await runGl(
      options(clean, service.url, { mode: { kind: 'range', from: '2023-12-01', to: '2024-01-30' } }),
    );
    expect(third.lines.inserted).toBe(0);
    expect(third.lines.unchanged).toBe(third.lines.received);
    expect(await rawSnapshot(clean)).toEqual(cleanSnapshot);
    const { rows: q } = await clean.query(`SELECT count(*)::int AS n FROM ops.quarantine`);
    expect(q[0]?.n).toBe(0);
  });

  it('ends equal to a clean run through 500s, 429 + Retry-After, timeouts, truncated bodies and garbage', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const proxy = await startFaultProxy(service.url);
    try {
      proxy.inject('/v1/wells', { kind: 'status', status: 500 }, { kind: 'status', status: 503 });
      proxy.inject('/v1/owners', { kind: 'status', status: 429, retryAfter: 1 });
      proxy.inject('/v1/accounts', { kind: 'hang' });
      proxy.inject('/v1/afes', { kind: 'truncate', afterBytes: 200 });
      proxy.inject(
        '/v1/gl/entries',
        { kind: 'status', status: 502 },
        { kind: 'status', status: 429, retryAfter: 0 },
        { kind: 'hang' },
        { kind: 'truncate', afterBytes: 2_000_000 },
        { kind: 'truncate', afterBytes: 800_000 },
        { kind: 'garbage', afterLines: 1500 },
      );
      const result = await runGl(options(db, proxy.url, { requestTimeoutMs: 1000, idleTimeoutMs: 1000 }));
      expect(await rawSnapshot(db)).toEqual(cleanSnapshot);

      const entries = proxy.requests.filter((r) => r.includes('/v1/gl/entries'));
      // six faults, then a clean answer (more attempts only if the machine is slow enough to time out)
      expect(entries.length).toBeGreaterThanOrEqual(6);
      // resumed after each truncation from the day after the last complete one, not from the start
      const starts = entries.map((r) => new URL(r.split(' ')[1]!, 'http://x').searchParams.get('start')!);
      expect(starts.slice(0, 4)).toEqual(Array(4).fill('2023-01-31'));
      expect([...starts].sort()).toEqual(starts);
      expect(new Set(starts).size).toBeGreaterThanOrEqual(3);
      // Retry-After: 1 was honoured
      const owners = proxy.requests.flatMap((r, i) => (r.includes('/v1/owners') ? [proxy.times[i]!] : []));
      expect(owners.length).toBeGreaterThanOrEqual(2);
      expect(owners[1]! - owners[0]!).toBeGreaterThanOrEqual(950);

      // the injected garbage line is quarantined as text; nothing else is
      const { rows: q } = await db.query(
        `SELECT entity, record_key, reason, payload, payload_text FROM ops.quarantine`,
      );
      expect(q).toHaveLength(1);
      expect(q[0]).toMatchObject({ entity: 'lines', record_key: null, payload: null });
      expect(q[0]!.reason).toMatch(/malformed JSON/);
      expect(q[0]!.payload_text).toContain('GL-broken');
      expect(result.lines.quarantined).toBe(1);

      const { rows: running } = await db.query(
        `SELECT count(*)::int AS n FROM ops.ingestion_batches WHERE status = 'running'`,
      );
      expect(running[0]?.n).toBe(0);
      const { rows: wm } = await db.query(
        `SELECT value FROM ops.watermarks WHERE source = 'gl' AND key = 'lines'`,
      );
      expect(wm[0]?.value).toBe('2024-01-30');

      // once more through the proxy, now healthy: nothing changes
      const again = await runGl(
        options(db, proxy.url, { mode: { kind: 'range', from: '2023-01-31', to: '2024-01-30' } }),
      );
      expect(again.lines.inserted).toBe(0);
      expect(again.lines.unchanged).toBe(again.lines.received);
      expect(await rawSnapshot(db)).toEqual(cleanSnapshot);
    } finally {
      await proxy.close();
    }
  });

  it('a backfill that keeps making progress outlasts more faults than its retry budget; one that stalls does not', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const proxy = await startFaultProxy(service.url);
    const budget = { ...FAST_RETRY, retries: 2 };
    try {
      // two 503s (no progress), then every body cut after ~0.5 MB: each cut attempt commits days
      proxy.inject('/v1/gl/entries', { kind: 'status', status: 503 }, { kind: 'status', status: 503 });
      proxy.always('/v1/gl/entries', { kind: 'truncate', afterBytes: 500_000 });
      const result = await runGl(
        options(db, proxy.url, { retry: budget, reference: false, batchLines: 200 }),
      );
      expect(result.outcome, result.outcome.message).toMatchObject({ status: 'ok' });
      const cuts = proxy.applied.filter((a) => a.fault === 'truncate').length;
      const failures = proxy.applied.length - 1; // the last request's body was shorter than the cut
      expect(failures).toBeGreaterThan(budget.retries + 2);
      expect(cuts).toBeGreaterThan(budget.retries);
      expect((await rawSnapshot(db)).lines).toEqual(cleanSnapshot.lines);

      // the same faults without progress (every request refused): the budget ends it
      proxy.always('/v1/gl/entries', { kind: 'status', status: 503 });
      const before = proxy.requests.length;
      const stalled = await runGl(
        options(db, proxy.url, {
          retry: budget,
          reference: false,
          mode: { kind: 'range', from: '2024-01-01', to: '2024-01-05' },
        }),
      );
      expect(stalled.outcome.status).toBe('failed');
      expect(stalled.outcome.message).toMatch(/503/);
      expect(proxy.requests.slice(before).filter((r) => r.includes('/v1/gl/entries'))).toHaveLength(
        budget.retries + 1,
      );
    } finally {
      await proxy.close();
    }
  });

  it('quarantines a changed line (same line_id, another amount) instead of overwriting it', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const range = { kind: 'range' as const, from: '2024-01-01', to: '2024-01-30' };
    await runGl(options(db, service.url, { mode: range, reference: false }));
    const { rows } = await db.query<{ line_id: string; debit: string; payload_hash: string }>(
      `SELECT line_id, debit::text, payload_hash FROM raw.gl_lines WHERE debit > 0 ORDER BY line_id LIMIT 1 OFFSET 7`,
    );
    const target = rows[0]!;
    const proxy = await startFaultProxy(service.url);
    try {
      proxy.always('/v1/gl/entries', {
        kind: 'rewrite',
        map: (line) =>
          line.includes(`"line_id":"${target.line_id}"`)
            ? line.replace(`"debit":"${target.debit}"`, '"debit":"999999.99"')
            : line,
      });
      const result = await runGl(options(db, proxy.url, { mode: range, reference: false }));
      expect(result.lines).toMatchObject({ inserted: 0, revised: 1, quarantined: 1 });
      expect(result.lines.unchanged).toBe(result.lines.received - 1);
      const { rows: stored } = await db.query(
        `SELECT debit::text, payload_hash FROM raw.gl_lines WHERE line_id = $1`,
        [target.line_id],
      );
      expect(stored).toEqual([{ debit: target.debit, payload_hash: target.payload_hash }]);
      const { rows: q } = await db.query(`SELECT record_key, reason, payload FROM ops.quarantine`);
      expect(q).toHaveLength(1);
      expect(q[0]!.record_key).toBe(target.line_id);
      expect(q[0]!.reason).toMatch(/revised/);
      expect(q[0]!.payload.debit).toBe('999999.99');
      const { rows: batches } = await db.query(
        `SELECT sum(rows_revised)::int AS revised, sum(rows_quarantined)::int AS quarantined FROM ops.ingestion_batches WHERE entity = 'lines'`,
      );
      expect(batches[0]).toEqual({ revised: 1, quarantined: 1 });
    } finally {
      await proxy.close();
    }
  });

  it('splits a range longer than 366 days into requests the service accepts', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const proxy = await startFaultProxy(service.url);
    try {
      const result = await runGl(
        options(db, proxy.url, {
          mode: { kind: 'range', from: '2023-01-31', to: '2024-03-05' },
          reference: false,
        }),
      );
      expect(proxy.requests.filter((r) => r.includes('/v1/gl/entries'))).toEqual([
        'GET /v1/gl/entries?start=2023-01-31&end=2024-01-31',
        'GET /v1/gl/entries?start=2024-02-01&end=2024-03-05',
      ]);
      const { rows } = await db.query(
        `SELECT min(posting_date)::text AS min, max(posting_date)::text AS max, count(*)::int AS n FROM raw.gl_lines`,
      );
      expect(rows[0]).toEqual({ min: '2023-01-31', max: '2024-03-05', n: result.lines.inserted });
      const { rows: wm } = await db.query(
        `SELECT value FROM ops.watermarks WHERE source = 'gl' AND key = 'lines'`,
      );
      expect(wm[0]?.value).toBe('2024-03-05');
    } finally {
      await proxy.close();
    }
  });

  it('does not retry other 4xx, records the failure, and sends the bearer token without logging it', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const proxy = await startFaultProxy(service.url);
    try {
      proxy.inject('/v1/gl/entries', { kind: 'status', status: 403 });
      const refused = await runGl(
        options(db, proxy.url, {
          mode: { kind: 'range', from: '2024-01-01', to: '2024-01-05' },
          reference: false,
        }),
      );
      expect(refused.outcome.status).toBe('failed');
      expect(refused.outcome.message).toMatch(/403/);
      expect(proxy.requests.filter((r) => r.includes('/v1/gl/entries'))).toHaveLength(1);
      const { rows } = await db.query(
        `SELECT status, error FROM ops.ingestion_batches WHERE entity = 'lines'`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'failed' });
      expect(rows[0]!.error).toMatch(/403/);
    } finally {
      await proxy.close();
    }

    const token = 'tok-7f3e9a1c55';
    const secured = await startGlService({ wells: 3, asOf: AS_OF, token });
    const logged: string[] = [];
    const log = pino({ level: 'trace' }, { write: (line: string) => void logged.push(line) });
    try {
      const range = { kind: 'range' as const, from: '2024-01-01', to: '2024-01-02' };
      const unauthorized = await runGl(options(db, secured.url, { mode: range, log }));
      expect(unauthorized.outcome.status).toBe('failed');
      expect(unauthorized.outcome.message).toMatch(/401/);
      const ok = await runGl(
        options(db, secured.url, { mode: range, log, gl: { url: secured.url, token, asOf: AS_OF } }),
      );
      expect(ok.lines.received).toBeGreaterThan(0);
      expect(logged.length).toBeGreaterThan(0);
      expect(logged.join('\n')).not.toContain(token);
    } finally {
      await secured.close();
    }
  });

  it('two loaders racing on the same new lines: the second falls back from COPY to the merge and inserts nothing twice', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const res = await fetch(`${service.url}/v1/gl/entries?start=2024-01-10&end=2024-01-11`, {
      headers: { accept: 'application/x-ndjson' },
    });
    const text = await res.text();
    const chunkOf = () => {
      const builder = new ChunkBuilder(glLineValidator());
      for (const line of text.split('\n').filter(Boolean)) builder.add(parseJsonLine(line));
      return builder.take();
    };
    const poolA = createPool(db.url, { role: ROLES.loader, max: 2, application: 'gl-race-a' });
    const poolB = createPool(db.url, { role: ROLES.loader, max: 2, application: 'gl-race-b' });
    try {
      let aWritten!: () => void;
      const aReady = new Promise<void>((r) => (aWritten = r));
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const a = loadLineChunk(poolA, chunkOf(), {
        entity: 'lines',
        beforeCommit: async () => {
          aWritten();
          await gate;
        },
      });
      await aReady;
      const b = loadLineChunk(poolB, chunkOf(), { entity: 'lines' });
      // B found nothing committed in the span, so it COPYs straight in and waits on A's rows
      for (let i = 0; ; i++) {
        const { rows } = await db.query(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = 'gl-race-b' AND wait_event_type = 'Lock'`,
        );
        if (rows.length > 0) break;
        if (i > 500) throw new Error('B never blocked on A');
        await new Promise((r) => setTimeout(r, 10));
      }
      release();
      const [ra, rb] = await Promise.all([a, b]);
      expect(ra.inserted).toBeGreaterThan(0);
      expect(rb).toMatchObject({ inserted: 0, unchanged: ra.inserted, revised: 0, quarantined: 0 });
      const { rows } = await db.query(
        `SELECT count(*)::int AS n, count(DISTINCT line_id)::int AS ids FROM raw.gl_lines`,
      );
      expect(rows[0]).toEqual({ n: ra.inserted, ids: ra.inserted });
    } finally {
      await poolA.end();
      await poolB.end();
    }
  });
});
