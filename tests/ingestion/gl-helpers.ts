/**
 * Test support for the GL ingestion suites: the GL service, the fault-injecting proxy in front of
 * it (defined once, in chaos/fault-proxy.ts), and table snapshots to compare a run with a clean one.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/src/build.ts';
import type { GlAppOptions } from '../../api/src/options.ts';
import pino from 'pino';
import type { Logger } from '../../core/logger.ts';
import { createPool, ROLES } from '../../database/src/connection.ts';
import { ingestGl, type GlIngestOptions, type GlOutcome } from '../../ingestion/src/gl/index.ts';
import type { TestDatabase } from '../helpers/database.ts';

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
