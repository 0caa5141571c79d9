/** Shared by the EIA ingestion tests: the real data folder, a fast client, raw-table snapshots. */
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { createPool, ROLES } from '../../database/src/connection.ts';
import { EiaClient } from '../../ingestion/src/eia/client.ts';
import { ingestEia, type IngestEiaOptions } from '../../ingestion/src/eia/ingest.ts';
import { createTestDatabase } from '../helpers/database.ts';

/** The real EIA files, beside the checkout (CI has them too); never copied into the repo. */
export const EIA_DIR = path.resolve(PROJECT_ROOT, '../shared/data/eia');
export const TEST_KEY = 'test-key-0123456789';
export const quietLog = createLogger('eia-test', { level: 'silent' });

export function fastClient(
  baseUrl: string,
  options: { timeoutMs?: number; retries?: number } = {},
): EiaClient {
  return new EiaClient({
    baseUrl,
    apiKey: TEST_KEY,
    requestsPerSecond: 1000,
    timeoutMs: options.timeoutMs ?? 5000,
    retry: { retries: options.retries ?? 8, minDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2000 },
    log: quietLog,
  });
}

export interface EiaTestDatabase {
  url: string;
  /** Runs as the login (superuser), for arranging and asserting. */
  query: pg.Pool['query'];
  /** The loader's pool, as ingestion uses it. */
  pool: pg.Pool;
  drop(): Promise<void>;
}

/**
 * A fresh migrated database (createTestDatabase) with a loader pool and an assertion pool of our
 * own: both ignore the "terminating connection" error DROP DATABASE ... WITH (FORCE) can raise on
 * connections pg-pool is still closing.
 */
export async function eiaDatabase(): Promise<EiaTestDatabase> {
  const db = await createTestDatabase();
  const admin = new pg.Pool({ connectionString: db.url, max: 2 });
  admin.on('error', () => undefined);
  const pool = createPool(db.url, { role: ROLES.loader, application: 'eia-test' });
  return {
    url: db.url,
    query: admin.query.bind(admin) as pg.Pool['query'],
    pool,
    async drop() {
      await pool.end();
      await admin.end();
      await db.drop();
    },
  };
}

export async function run(
  pool: pg.Pool,
  baseUrl: string,
  { client, ...options }: IngestEiaOptions & { client?: EiaClient } = {},
) {
  const outcome = await ingestEia({ pool, client: client ?? fastClient(baseUrl), log: quietLog }, options);
  return outcome.details.series;
}

/** What a load leaves in raw and ops.watermarks, minus ids and timestamps. */
export async function snapshot(db: Pick<EiaTestDatabase, 'query'>) {
  const observations = await db.query(
    `SELECT series_id, frequency, period, period_start, value::text, units, route, facets, revision
       FROM raw.eia_observations ORDER BY series_id, frequency, period`,
  );
  const revisions = await db.query(
    `SELECT series_id, frequency, period, revision, value::text, units
       FROM raw.eia_observation_revisions ORDER BY series_id, frequency, period, revision`,
  );
  const watermarks = await db.query(
    `SELECT key, value FROM ops.watermarks WHERE source = 'eia' ORDER BY key`,
  );
  return { observations: observations.rows, revisions: revisions.rows, watermarks: watermarks.rows };
}

export async function batches(db: Pick<EiaTestDatabase, 'query'>) {
  const { rows } = await db.query<{
    batch_id: string;
    entity: string;
    status: string;
    rows_received: number;
    rows_inserted: number;
    rows_unchanged: number;
    rows_revised: number;
    rows_quarantined: number;
    warnings: string[];
    error: string | null;
    params: Record<string, unknown>;
  }>(`SELECT * FROM ops.ingestion_batches WHERE source = 'eia' ORDER BY batch_id`);
  return rows;
}
