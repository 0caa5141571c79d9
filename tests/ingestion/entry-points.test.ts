/**
 * Every ingestion source has the same entry shape, `(deps, options) => Promise<Outcome>`, and
 * the same failure rule (ingestion/src/load/outcome.ts): a load that worked resolves ok (or warn),
 * a load that could not do its job RESOLVES failed — it does not throw — with the cause in its
 * message and a failed batch in ops.ingestion_batches. EIA and GL run through the same assertions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome } from '../../core/outcome.ts';
import { EiaClient } from '../../ingestion/src/eia/client.ts';
import { ingestEia } from '../../ingestion/src/eia/ingest.ts';
import { startEiaReplayServer, type EiaReplayServer } from '../../ingestion/src/eia/replay/server.ts';
import { ingestGl } from '../../ingestion/src/gl/index.ts';
import { EIA_DIR, eiaDatabase, fastClient, quietLog, TEST_KEY, type EiaTestDatabase } from './eia-helpers.ts';
import { FAST_RETRY, startGlService, type GlService } from './gl-helpers.ts';

const AS_OF = '2024-01-31';

interface Source {
  name: string;
  entry: (...args: never[]) => Promise<Outcome>;
  /** One load that works, and one whose source refuses or is unreachable. */
  good(db: EiaTestDatabase): Promise<Outcome>;
  bad(db: EiaTestDatabase): Promise<Outcome>;
  /** What the failed outcome's message must name. */
  cause: RegExp;
}

let replay: EiaReplayServer;
let strict: EiaReplayServer;
let service: GlService;
const databases: EiaTestDatabase[] = [];

beforeAll(async () => {
  replay = await startEiaReplayServer({ dir: EIA_DIR, port: 0 });
  strict = await startEiaReplayServer({ dir: EIA_DIR, port: 0, validKeys: ['another-key'] });
  service = await startGlService({ wells: 3, asOf: AS_OF });
});

afterAll(async () => {
  await replay?.close();
  await strict?.close();
  await service?.close();
  for (const db of databases) await db.drop();
});

const glOptions = (url: string) => ({
  gl: { url, token: undefined, asOf: AS_OF },
  mode: { kind: 'range' as const, from: '2024-01-20', to: '2024-01-22' },
  requestTimeoutMs: 1000,
  retry: FAST_RETRY,
});

const SOURCES: Source[] = [
  {
    name: 'EIA',
    entry: ingestEia,
    good: (db) =>
      ingestEia(
        { pool: db.pool, log: quietLog, client: fastClient(replay.baseUrl) },
        { series: ['RWTC'], from: '2024-01-01', to: '2024-01-31' },
      ),
    bad: (db) =>
      ingestEia(
        {
          pool: db.pool,
          log: quietLog,
          client: new EiaClient({ baseUrl: strict.baseUrl, apiKey: TEST_KEY, log: quietLog }),
        },
        { series: ['RWTC'], from: '2024-01-01', to: '2024-01-31' },
      ),
    cause: /403/,
  },
  {
    name: 'GL',
    entry: ingestGl,
    good: (db) => ingestGl({ pool: db.pool, log: quietLog }, glOptions(service.url)),
    // nothing listens on port 9 (discard) of the loopback
    bad: (db) => ingestGl({ pool: db.pool, log: quietLog }, glOptions('http://127.0.0.1:9')),
    cause: /ECONNREFUSED|fetch failed/,
  },
];

function expectOutcomeShape(outcome: Outcome): void {
  expect(['ok', 'warn', 'failed']).toContain(outcome.status);
  expect(typeof outcome.message).toBe('string');
  expect(outcome.message.length).toBeGreaterThan(0);
  expect(Number.isInteger(outcome.durationMs)).toBe(true);
  for (const key of ['received', 'inserted', 'unchanged', 'revised', 'quarantined'])
    expect(Number.isInteger(outcome.counts[key]), key).toBe(true);
  // plain JSON: DBOS records it as a step result, the status page shows it
  expect(JSON.parse(JSON.stringify(outcome))).toEqual(outcome);
}

describe.each(SOURCES)('$name entry point', (source) => {
  it('takes (deps, options)', () => {
    expect(source.entry.length).toBe(2);
  });

  it('resolves ok with its counts when the load works', async () => {
    const db = await eiaDatabase();
    databases.push(db);
    const outcome = await source.good(db);
    expectOutcomeShape(outcome);
    expect(outcome.status, outcome.message).toBe('ok');
    expect(outcome.counts.inserted).toBeGreaterThan(0);
    expect(outcome.counts.received).toBe(outcome.counts.inserted);
  });

  it('resolves failed, without throwing, naming the cause and recording a failed batch', async () => {
    const db = await eiaDatabase();
    databases.push(db);
    const outcome = await source.bad(db);
    expectOutcomeShape(outcome);
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toMatch(source.cause);
    expect(outcome.counts.inserted).toBe(0);
    const { rows } = await db.query<{ status: string; error: string }>(
      `SELECT status, error FROM ops.ingestion_batches ORDER BY batch_id`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((b) => b.status === 'failed')).toBe(true);
    expect(rows.at(-1)!.error).toMatch(source.cause);
  });
});
