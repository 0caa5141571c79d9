/**
 * Batches a dead process left `running` (issue 9.1): the next load that takes the entity's lock
 * closes them with the status `abandoned` and the reason; the `abandoned_batches` check warns
 * about them once; migration 008 moves batches closed the old way (`failed`, `abandoned: …`).
 */
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../database/src/migrate.ts';
import { ABANDONED_REASON, withIngestLock } from '../../ingestion/src/load/lock.ts';
import { abandonedBatches } from '../../orchestration/src/checks/batches.ts';
import { storeResults } from '../../orchestration/src/checks/store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const statuses = async () =>
  (
    await db.query<{ entity: string; status: string; error: string | null; closed: boolean }>(
      `SELECT entity, status, error, finished_at IS NOT NULL AS closed FROM ops.ingestion_batches ORDER BY batch_id`,
    )
  ).rows;

describe('abandoned batches', () => {
  it('the next load of the entity closes a running batch as abandoned, others are left alone', async () => {
    await db.query(
      `INSERT INTO ops.ingestion_batches (source, entity) VALUES ('gl', 'lines'), ('gl', 'stream'), ('eia', 'RWTC')`,
    );
    const seen = await withIngestLock(pool, 'gl', 'lines', async () => statuses());
    expect(seen[0]).toEqual({ entity: 'lines', status: 'abandoned', error: ABANDONED_REASON, closed: true });
    expect(seen.slice(1).map((b) => b.status)).toEqual(['running', 'running']);
    // a status outside the four is refused by the table itself
    await expect(
      db.query(`INSERT INTO ops.ingestion_batches (source, entity, status) VALUES ('gl', 'x', 'lost')`),
    ).rejects.toThrow(/ingestion_batches_status_check/);
  });

  it('the check warns about abandoned batches once: the next check counts from the previous one', async () => {
    const first = await abandonedBatches(pool);
    expect(first).toMatchObject({ severity: 'warn', status: 'fail', observed: 1 });
    expect(first.details?.batches).toEqual([expect.stringMatching(/^gl\.lines #\d+$/)]);
    await storeResults(pool, undefined, [first]);
    expect(await abandonedBatches(pool)).toMatchObject({ status: 'pass', observed: 0 });
  });

  it('migration 008 moves batches closed the old way (failed, "abandoned: …") to abandoned', async () => {
    const migrateTo = (direction: 'up' | 'down') =>
      runner({
        databaseUrl: db.url,
        dir: MIGRATIONS_DIR,
        direction,
        count: direction === 'down' ? 1 : Infinity,
        migrationsTable: 'schema_migrations',
        migrationsSchema: 'public',
        checkOrder: true,
        log: () => undefined,
      });
    expect((await migrateTo('down')).map((m) => m.name)).toEqual(['008_abandoned_batches']);
    expect((await statuses()).map((b) => b.status)).toEqual(['failed', 'running', 'running']);
    await db.query(
      `INSERT INTO ops.ingestion_batches (source, entity, status, error) VALUES
         ('eia', 'RWTC', 'failed', 'abandoned: the loading process ended before the batch committed'),
         ('eia', 'RWTC', 'failed', 'HTTP 500 from the EIA API')`,
    );
    expect((await migrateTo('up')).map((m) => m.name)).toEqual(['008_abandoned_batches']);
    expect((await statuses()).map((b) => b.status)).toEqual([
      'abandoned',
      'running',
      'running',
      'abandoned',
      'failed',
    ]);
  });
});
