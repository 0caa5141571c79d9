/**
 * Database faults (issue 9.1): the loader's backends are terminated (pg_terminate_backend) while
 * a chunk is inside its transaction, during a backfill and while following the stream. The
 * process must survive (before the fix it died of an unhandled 'error' event, leaving its batch
 * `running`), the chunk must roll back whole, and the loader must reconnect and resume from its
 * last committed point: raw ends equal to an undisturbed run's.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/database.ts';
import {
  FAST_RETRY,
  rawSnapshot,
  runGl,
  startFaultProxy,
  startGlService,
  streamOptions,
  useSlowGlService,
  waitFor,
} from './gl-helpers.ts';

const AS_OF = '2024-01-31';
const FROM = '2023-11-01';
const TO = '2024-01-30';

/**
 * Holds `table` locked until the loader blocks on it inside a chunk's transaction, then
 * terminates every backend of the loader (its pool and its lock connection) and lets go.
 */
async function killLoaderMidTransaction(db: TestDatabase, table: string): Promise<number> {
  const locker = new pg.Client({ connectionString: db.url });
  locker.on('error', () => undefined);
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
    await waitFor('the loader to block inside its transaction', async () => {
      const { rows } = await db.query(
        `SELECT 1 FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'gl-ingestion' AND wait_event_type = 'Lock'`,
      );
      return rows.length > 0 ? true : undefined;
    });
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'gl-ingestion') t`,
    );
    return rows[0]!.n;
  } finally {
    await locker.query('ROLLBACK').catch(() => undefined);
    await locker.end();
  }
}

async function batchStates(db: TestDatabase, entity: string) {
  const { rows } = await db.query<{ status: string; error: string | null }>(
    `SELECT status, error FROM ops.ingestion_batches WHERE entity = $1 ORDER BY batch_id`,
    [entity],
  );
  return rows;
}

describe('a lost database connection', () => {
  const gl = useSlowGlService(AS_OF, 20);

  it('mid-backfill: the process survives, the chunk rolls back, the load resumes; raw equals a clean run', async () => {
    const { service, slow } = gl;
    const clean = await gl.database();
    const db = await gl.database();
    const range = { kind: 'range' as const, from: FROM, to: TO };
    const undisturbed = await runGl({
      databaseUrl: clean.url,
      gl: { url: service.url, token: undefined, asOf: AS_OF },
      mode: range,
      batchLines: 300,
      retry: FAST_RETRY,
    });
    expect(undisturbed.outcome.status).toBe('ok');

    const run = runGl({
      databaseUrl: db.url,
      gl: { url: slow.url, token: undefined, asOf: AS_OF },
      mode: range,
      batchLines: 300,
      retry: FAST_RETRY,
    });
    await waitFor('two committed chunks', async () => {
      const states = await batchStates(db, 'lines');
      return states.filter((b) => b.status === 'succeeded').length >= 2 ? true : undefined;
    });
    // a chunk's rows are written inside its transaction
    expect(await killLoaderMidTransaction(db, 'raw.gl_lines')).toBeGreaterThanOrEqual(2);
    await waitFor('two more committed chunks', async () => {
      const states = await batchStates(db, 'lines');
      return states.filter((b) => b.status === 'succeeded').length >= 4 ? true : undefined;
    });
    expect(await killLoaderMidTransaction(db, 'raw.gl_lines')).toBeGreaterThanOrEqual(2);

    const result = await run;
    expect(result.outcome.status, result.outcome.message).toBe('ok');
    expect(await rawSnapshot(db)).toEqual(await rawSnapshot(clean));
    const states = await batchStates(db, 'lines');
    expect(states.filter((b) => b.status === 'running')).toEqual([]);
    const failed = states.filter((b) => b.status === 'failed');
    expect(failed).toHaveLength(2);
    for (const b of failed) expect(b.error).toMatch(/terminat/i);
    const { rows: orphans } = await db.query(
      `SELECT count(*)::int AS n FROM raw.gl_lines l JOIN ops.ingestion_batches b USING (batch_id) WHERE b.status <> 'succeeded'`,
    );
    expect(orphans[0]!.n).toBe(0);
  });

  it('mid-follow: the follower survives, asks again from the stored cursor, and misses nothing', async () => {
    const now = Date.parse('2024-01-31T20:00:00Z');
    const stream = await startGlService(streamOptions(() => now, AS_OF));
    const slowStream = await startFaultProxy(stream.url);
    slowStream.always('/get-gl', { kind: 'throttle', delayMs: 30 });
    const clean = await gl.database();
    const db = await gl.database();
    const seed = `INSERT INTO ops.stream_cursors (stream, last_event_id) VALUES ('gl', '2024-01-31T00:00:00Z')`;
    await clean.query(seed);
    await db.query(seed);
    const follow = (target: TestDatabase, url: string) =>
      runGl({
        databaseUrl: target.url,
        gl: { url, token: undefined, asOf: AS_OF },
        mode: { kind: 'follow', stopAfterEvents: 120 },
        reference: false,
        flushMs: 30,
        flushLines: 40,
        requestTimeoutMs: 2000,
        idleTimeoutMs: 2000,
        retry: FAST_RETRY,
        follow: { retry: { minDelayMs: 5, maxDelayMs: 50 } },
      });
    try {
      expect((await follow(clean, stream.url)).outcome.status).toBe('ok');
      const run = follow(db, slowStream.url);
      await waitFor('two committed stream batches', async () => {
        const states = await batchStates(db, 'stream');
        return states.filter((b) => b.status === 'succeeded').length >= 2 ? true : undefined;
      });
      // the stream cursor is written inside every stream batch's transaction
      expect(await killLoaderMidTransaction(db, 'ops.stream_cursors')).toBeGreaterThanOrEqual(2);

      const result = await run;
      expect(result.outcome.status, result.outcome.message).toBe('ok');
      expect(result.stream!.outages).toBe(1);
      const { rows } = await db.query(`SELECT last_event_id FROM ops.stream_cursors WHERE stream = 'gl'`);
      expect(rows[0]!.last_event_id).toBe('2024-01-31T20:00:00Z');
      expect(await rawSnapshot(db)).toEqual(await rawSnapshot(clean));
      const states = await batchStates(db, 'stream');
      expect(states.filter((b) => b.status === 'running')).toEqual([]);
      expect(states.filter((b) => b.status === 'failed').map((b) => b.error)).toEqual([
        expect.stringMatching(/terminat/i),
      ]);
    } finally {
      await slowStream.close();
      await stream.close();
    }
  });
});
