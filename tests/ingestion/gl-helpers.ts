/**
 * Test support for the GL ingestion suites: the GL service, the fault-injecting proxy in front of
 * it (defined once, in chaos/fault-proxy.ts), and table snapshots to compare a run with a clean one.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/src/build.ts';
import { dayFromIso } from '../../api/src/generator/calendar.ts';
import { Ledger } from '../../api/src/generator/ledger.ts';
import { serializeDay } from '../../api/src/generator/serialize.ts';
import type { GlAppOptions } from '../../api/src/options.ts';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import type { Logger } from '../../core/logger.ts';
import { createPool, ROLES } from '../../database/src/connection.ts';
import { ingestGl, type GlIngestOptions, type GlOutcome } from '../../ingestion/src/gl/index.ts';
import { startFaultProxy, type FaultProxy } from '../../chaos/fault-proxy.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

/** One ingestGl call as the tests make it: the database by URL, the rest as options. */
export type GlRun = GlIngestOptions & { databaseUrl: string; log?: Logger; signal?: AbortSignal };

/**
 * Runs ingestGl on a loader pool of its own (named like the CLI's, so tests can find its
 * backends) and returns the Outcome's details with the Outcome itself.
 */
export async function runGl({
  databaseUrl,
  log,
  signal,
  ...options
}: GlRun): Promise<GlOutcome['details'] & { outcome: GlOutcome }> {
  const pool = createPool(databaseUrl, { role: ROLES.loader, max: 4, application: 'gl-ingestion' });
  try {
    const outcome = await ingestGl({ pool, log: log ?? pino({ level: 'silent' }), signal }, options);
    return { ...outcome.details, outcome };
  } finally {
    await pool.end();
  }
}

export interface GlService {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** The lines the service writes for these days (seed, wells), as texts: what the client receives. */
export function serviceLines(seed: number, wells: number, isoDays: readonly string[]): string[] {
  const ledger = new Ledger({ seed, wells });
  return isoDays.flatMap((iso) =>
    Buffer.from(serializeDay(dayFromIso(iso), ledger.journalsForDay(dayFromIso(iso))).bytes)
      .toString('utf8')
      .split('\n')
      .filter((l) => l.length > 0),
  );
}

/**
 * A fast live stream of 10 wells on an injected ledger clock: 10-minute slots, polled every 20 ms,
 * a heartbeat every 100 ms, so a follower test sees many events in a few real seconds.
 */
export function streamOptions(now: () => number, asOf = '2024-01-31'): Partial<GlAppOptions> {
  return { wells: 10, asOf, streamIntervalS: 600, now, streamPollMs: 20, heartbeatMs: 100 };
}

/** The real GL service app, listening on a free 127.0.0.1 port. */
export async function startGlService(
  options: Partial<GlAppOptions> = {},
  /** A fixed port, to bring a stopped service back where its clients look for it. */
  port = 0,
): Promise<GlService> {
  const app = await buildServer({
    seed: 42,
    wells: 3,
    asOf: '2024-01-31',
    streamIntervalS: 600,
    rateLimitMax: 100_000,
    ...options,
  });
  await app.listen({ port, host: '127.0.0.1' });
  const bound = (app.server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${bound}`, app, close: () => app.close() };
}

/** Polls `probe` every 20 ms until it returns a value; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface SlowGlSetup {
  /** The GL service itself (for clean runs). */
  service: GlService;
  /** The same service behind a proxy that delays every entries request, so a test can act between chunks. */
  slow: FaultProxy;
  /** A fresh database, dropped after the suite. */
  database(): Promise<TestDatabase>;
}

/**
 * The set-up of the suites that interrupt a loader mid-load: a small GL service, a throttling
 * proxy in front of it, and databases dropped when the suite ends. Call inside `describe`; the
 * fields are filled by `beforeAll`.
 */
export function useSlowGlService(asOf: string, delayMs: number): SlowGlSetup {
  const databases: TestDatabase[] = [];
  const setup = {
    async database() {
      const db = await createTestDatabase();
      databases.push(db);
      return db;
    },
  } as SlowGlSetup;
  beforeAll(async () => {
    setup.service = await startGlService({ wells: 3, asOf });
    setup.slow = await startFaultProxy(setup.service.url);
    setup.slow.always('/v1/gl/entries', { kind: 'throttle', delayMs });
  });
  afterAll(async () => {
    await setup.slow?.close();
    await setup.service?.close();
    for (const db of databases) await db.drop();
  });
  return setup;
}

/** Retries in tests: many, and a few milliseconds apart. */
export const FAST_RETRY = { retries: 8, minDelayMs: 5, maxDelayMs: 20, factor: 2 };

export { startFaultProxy, type Fault, type FaultProxy } from '../../chaos/fault-proxy.ts';

/** Everything the GL client writes to raw, in a stable order, for equality with a clean run. */
export async function rawSnapshot(
  db: TestDatabase,
): Promise<{ lines: string[]; reference: Record<string, string[]> }> {
  const { rows } = await db.query<{ r: string }>(
    `SELECT concat_ws('|', line_id, posting_date, journal_id, line_no, debit, credit, account_number, payload_hash) AS r
       FROM raw.gl_lines ORDER BY line_id`,
  );
  const reference: Record<string, string[]> = {};
  for (const [table, key] of [
    ['gl_wells', 'well_id'],
    ['gl_owners', 'owner_id'],
    ['gl_accounts', 'account_number'],
    ['gl_afes', 'afe_number'],
  ] as const) {
    const res = await db.query<{ r: string }>(
      `SELECT ${key} || '|' || payload_hash AS r FROM raw.${table} ORDER BY ${key}`,
    );
    reference[table] = res.rows.map((x) => x.r);
  }
  return { lines: rows.map((x) => x.r), reference };
}
