/**
 * Following the live GL stream (SSE) of the real service, on an injected clock: micro-batches
 * commit with the stream cursor, dropped connections and client restarts resume from the last
 * STORED event id, and the result equals one uninterrupted follow: no gap, no repeat.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, ROLES } from '../../database/src/connection.ts';
import { followStream } from '../../ingestion/src/gl/follow.ts';
import { GlHttp } from '../../ingestion/src/gl/http.ts';
import { glLineValidator } from '../../ingestion/src/gl/schema.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import {
  FAST_RETRY,
  rawSnapshot,
  startFaultProxy,
  startGlService,
  streamOptions,
  type GlService,
  runGl,
  type GlRun,
} from './gl-helpers.ts';

const AS_OF = '2024-01-31';
const START = '2024-01-31T00:00:00Z';
const NOW = '2024-01-31T20:00:00Z'; // 120 completed 10-minute slots after START
const quiet = pino({ level: 'silent' });

function follow(db: TestDatabase, url: string, stopAfterEvents: number, extra: Partial<GlRun> = {}) {
  return runGl({
    databaseUrl: db.url,
    gl: { url, token: undefined, asOf: AS_OF },
    log: quiet,
    mode: { kind: 'follow', stopAfterEvents },
    reference: false,
    flushMs: 30,
    flushLines: 40,
    requestTimeoutMs: 2000,
    idleTimeoutMs: 2000,
    retry: FAST_RETRY,
    ...extra,
  });
}

async function cursor(db: TestDatabase): Promise<string | undefined> {
  const { rows } = await db.query(`SELECT last_event_id FROM ops.stream_cursors WHERE stream = 'gl'`);
  return rows[0]?.last_event_id;
}

async function seedCursor(db: TestDatabase, id: string): Promise<void> {
  await db.query(`INSERT INTO ops.stream_cursors (stream, last_event_id) VALUES ('gl', $1)`, [id]);
}

describe('GL stream follow', () => {
  let service: GlService;
  const now = Date.parse(NOW);
  const databases: TestDatabase[] = [];
  let clean: TestDatabase;

  beforeAll(async () => {
    service = await startGlService(streamOptions(() => now, AS_OF));
    clean = await createTestDatabase();
    databases.push(clean);
    await seedCursor(clean, START);
    const result = await follow(clean, service.url, 120);
    expect(result.stream?.events).toBe(120);
  });

  afterAll(async () => {
    await service?.close();
    for (const db of databases) await db.drop();
  });

  it('stores the lines of every event with the cursor of the last one', async () => {
    expect(await cursor(clean)).toBe('2024-01-31T20:00:00Z');
    const { rows } = await clean.query<{ n: number; min: string; max: string }>(
      `SELECT count(*)::int AS n, min(posting_date)::text AS min, max(posting_date)::text AS max FROM raw.gl_lines`,
    );
    expect(rows[0]!.n).toBeGreaterThan(20);
    expect(rows[0]).toMatchObject({ min: '2024-01-31', max: '2024-01-31' });
    const { rows: batches } = await clean.query(
      `SELECT count(*)::int AS n, sum((params->>'events')::int)::int AS events, sum(rows_unchanged)::int AS unchanged
         FROM ops.ingestion_batches WHERE entity = 'stream' AND status = 'succeeded'`,
    );
    expect(batches[0]!.events).toBe(120);
    expect(batches[0]!.unchanged).toBe(0);
    expect(batches[0]!.n).toBeGreaterThan(1); // micro-batched
  });

  it('resumes from the stored cursor across dropped connections and a client restart: no gap, no repeat', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    await seedCursor(db, START);
    const proxy = await startFaultProxy(service.url);
    try {
      proxy.inject(
        '/get-gl',
        { kind: 'drop-sse', afterEvents: 7 },
        { kind: 'status', status: 503 },
        { kind: 'truncate', afterBytes: 3000 },
        { kind: 'status', status: 429, retryAfter: 0 },
        { kind: 'drop-sse', afterEvents: 11 },
        { kind: 'hang' },
      );
      const first = await follow(db, proxy.url, 50, { requestTimeoutMs: 1000 });
      expect(first.stream!.connections).toBeGreaterThanOrEqual(7);
      expect(await cursor(db)).toBe('2024-01-31T08:20:00Z');
    } finally {
      await proxy.close();
    }
    // the client restarts (a new process would read the same stored cursor)
    const second = await follow(db, service.url, 70);
    expect(second.stream!.connections).toBe(1);
    expect(await cursor(db)).toBe('2024-01-31T20:00:00Z');

    expect(await rawSnapshot(db)).toEqual(await rawSnapshot(clean));
    const { rows } = await db.query(
      `SELECT sum((params->>'events')::int)::int AS events, sum(rows_unchanged)::int AS unchanged,
              sum(rows_quarantined)::int AS quarantined
         FROM ops.ingestion_batches WHERE entity = 'stream' AND status = 'succeeded'`,
    );
    expect(rows[0]).toEqual({ events: 120, unchanged: 0, quarantined: 0 });
  });

  it('quarantines an event whose data is not JSON and moves on', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    await seedCursor(db, START);
    const proxy = await startFaultProxy(service.url);
    try {
      let seen = 0;
      proxy.inject('/get-gl', {
        kind: 'rewrite',
        map: (data) => (++seen === 3 ? data.slice(0, Math.max(1, data.length - 2)) + '}}' : data),
      });
      await follow(db, proxy.url, 10);
    } finally {
      await proxy.close();
    }
    expect(await cursor(db)).toBe('2024-01-31T01:40:00Z');
    const { rows } = await db.query(
      `SELECT entity, record_key, reason, payload, payload_text FROM ops.quarantine`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ entity: 'stream', record_key: '2024-01-31T00:30:00Z', payload: null });
    expect(rows[0]!.payload_text).toMatch(/^\[.*\}\}$/s);
    expect(rows[0]!.reason).toMatch(/malformed JSON in event 2024-01-31T00:30:00Z/);
  });

  it('a batch that fails to commit stops the follow; nothing after it is stored; a restart fills the gap', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    await seedCursor(db, START);
    const pool = createPool(db.url, { role: ROLES.loader, max: 3 });
    let commits = 0;
    let firstCursor: string | undefined;
    try {
      await expect(
        followStream({
          pool,
          http: new GlHttp({ baseUrl: service.url, log: quiet, retry: FAST_RETRY }),
          log: quiet,
          validate: glLineValidator(),
          flushLines: 40,
          flushMs: 30,
          stopAfterEvents: 120,
          onFlush: (info) => (firstCursor ??= info.lastEventId),
          beforeCommit: async () => {
            if (++commits === 2) throw new Error('injected: database gone');
          },
        }),
      ).rejects.toThrow(/injected/);
    } finally {
      await pool.end();
    }
    expect(firstCursor).toBeDefined();
    expect(await cursor(db)).toBe(firstCursor);
    const { rows } = await db.query(
      `SELECT status, count(*)::int AS n FROM ops.ingestion_batches GROUP BY status ORDER BY status`,
    );
    expect(rows).toEqual([
      { status: 'failed', n: 1 },
      { status: 'succeeded', n: 1 },
    ]);
    // events already stored: 10-minute slots from midnight to the stored cursor
    const stored = (Date.parse(firstCursor!) - Date.parse(START)) / 600_000;
    await follow(db, service.url, 120 - stored);
    expect(await cursor(db)).toBe('2024-01-31T20:00:00Z');
    expect(await rawSnapshot(db)).toEqual(await rawSnapshot(clean));
  });
});
