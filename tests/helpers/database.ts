import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { withDatabase } from '../../database/src/connection.ts';
import { withLogin, type Stage } from '../../database/src/logins.ts';

export interface TestDatabase {
  /** URL of a fresh, fully migrated database owned by this test file. */
  url: string;
  /** URL of the same database logged in as this run's login of `stage` (no superuser, no SET ROLE). */
  urlAs(stage: Stage): string;
  name: string;
  /** Runs a query as the login (superuser) connection, for arranging and asserting. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('adminUrl') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A database cloned from the migrated template. Pass `migrated: false` for an empty one (to test
 * the migrations themselves).
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `${inject('databasePrefix')}${randomBytes(4).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : inject('templateDatabase');
  await admin((c) =>
    c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`),
  );
  const url = withDatabase(inject('adminUrl'), name);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // DROP ... WITH (FORCE) ends idle connections that pool.end() has not closed yet.
  pool.on('error', () => undefined);
  return {
    url,
    urlAs: (stage) => withLogin(url, inject('stageLogins')[stage]),
    name,
    query: (sql, params) => pool.query(sql, params),
    async drop() {
      await pool.end();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
    },
  };
}
