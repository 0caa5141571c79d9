/**
 * Database access in one place: DATABASE_URL when set, otherwise the embedded PostgreSQL under
 * `.data/`. Every other module asks here for a URL or a pool and never starts servers itself.
 */
import pg from 'pg';
import { loadConfig, type Config } from '../../core/config.ts';
import type { Logger } from '../../core/logger.ts';
import { redactUrl } from '../../core/redact.ts';
import { ensureEmbeddedPostgres } from './embedded.ts';
import {
  configuredStageUrl,
  embeddedStageLogins,
  ROLES,
  stageUrlsConfigured,
  warnSharedLogin,
  withLogin,
  type DatabaseRole,
} from './logins.ts';

export { ROLES, type DatabaseRole };
export const EMBEDDED_DATABASE = 'energy';

/** A stage's group role (see database/migrations/001_schemas_and_roles.sql). */
export type StageRole = (typeof ROLES)[keyof typeof ROLES];

// numeric and bigint stay strings (exact decimals, 64-bit ids); dates stay 'YYYY-MM-DD' strings
// instead of becoming local-midnight Date objects.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) {
      await client
        .query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`)
        .catch((error: { code?: string }) => {
          if (error.code !== '42P04') throw error; // created concurrently by another process
        });
    }
  } finally {
    await client.end();
  }
}

/**
 * The URL of the project's database for `role`, starting the embedded server first when needed:
 * the owner's (DATABASE_URL, for migrations) by default, or a stage's login (database/src/logins.ts).
 */
export async function resolveDatabaseUrl(
  log: Logger,
  config: Config = loadConfig(),
  role: DatabaseRole = 'owner',
): Promise<string> {
  if (role !== 'owner') {
    const configured = configuredStageUrl(config, role);
    if (configured) return configured;
  } else if (!config.databaseUrl && stageUrlsConfigured(config)) {
    throw new Error(
      'DATABASE_URL is not set: with the stage login URLs configured, only the owner login can run migrations; set DATABASE_URL for `pipeline migrate`',
    );
  }
  if (config.databaseUrl) {
    if (role !== 'owner') warnSharedLogin(log, role);
    return config.databaseUrl;
  }
  const server = await ensureEmbeddedPostgres(config.dataDir, log);
  await ensureDatabase(server.adminUrl, EMBEDDED_DATABASE);
  const ownerUrl = withDatabase(server.adminUrl, EMBEDDED_DATABASE);
  return role === 'owner' ? ownerUrl : withLogin(ownerUrl, (await embeddedStageLogins(config.dataDir))[role]);
}

/** A pool whose every connection runs as `role`, so the code using it holds exactly that stage's privileges. */
export function createPool(
  url: string,
  options: { role?: StageRole; max?: number; application?: string } = {},
) {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 4,
    application_name: options.application ?? 'energy-pipeline',
    // Set in the startup packet, not by a later SET ROLE: a missing role fails the connection
    // instead of silently leaving it with the login user's privileges.
    options: `-c TimeZone=UTC${options.role ? ` -c role=${options.role}` : ''}`,
  });
  // A client losing its connection (server restart, terminated backend) emits 'error'; with no
  // listener that kills the process. Idle clients are the pool's; checked-out ones get their own
  // here: the query in flight (or the next one) fails instead, and the caller retries.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A printable form of a connection URL with its password removed. */
export function describeUrl(url: string): string {
  return redactUrl(url);
}
