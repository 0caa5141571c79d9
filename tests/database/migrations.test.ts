import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { migrate } from '../../database/src/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

const log = createLogger('test', { level: 'silent' });
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
});
afterAll(() => db?.drop());

describe('migrations', () => {
  it('apply on an empty database and are a no-op the second time', async () => {
    const first = await migrate(db.url, log);
    expect(first.length).toBeGreaterThanOrEqual(5);
    const tables = async () =>
      (
        await db.query<{ t: string }>(
          `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
            WHERE table_schema IN ('raw', 'ops') ORDER BY 1`,
        )
      ).rows.map((r) => r.t);
    const before = await tables();
    expect(await migrate(db.url, log)).toEqual([]);
    expect(await tables()).toEqual(before);
    expect(before).toEqual(
      expect.arrayContaining([
        'raw.gl_lines',
        'raw.eia_observations',
        'ops.ingestion_batches',
        'ops.quarantine',
      ]),
    );
  });

  it('partitions raw.gl_lines by month with a default partition', async () => {
    const { rows } = await db.query<{ name: string; bound: string }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'raw.gl_lines'::regclass ORDER BY 1`,
    );
    expect(rows.find((r) => r.name === 'gl_lines_default')?.bound).toBe('DEFAULT');
    expect(rows.filter((r) => /^gl_lines_\d{4}_\d{2}$/.test(r.name)).length).toBeGreaterThanOrEqual(27);
  });

  it('moves rows parked in the default partition into a partition created later', async () => {
    const row = `('1999-03-15', 'L1', 'J1', 1, '1999-03', '1000', 1.00, 0.00, 'gl', 'h', 1)`;
    await db.query(
      `INSERT INTO raw.gl_lines (posting_date, line_id, journal_id, line_no, accounting_period, account_number,
                                 debit, credit, source, payload_hash, batch_id) VALUES ${row}`,
    );
    expect((await db.query(`SELECT count(*)::int AS n FROM raw.gl_lines_default`)).rows[0]!.n).toBe(1);
    const created = await db.query(`SELECT raw.ensure_gl_partitions('1999-03-01', '1999-04-30') AS n`);
    expect(created.rows[0]!.n).toBe(2);
    expect((await db.query(`SELECT count(*)::int AS n FROM raw.gl_lines_default`)).rows[0]!.n).toBe(0);
    expect((await db.query(`SELECT count(*)::int AS n FROM raw.gl_lines_1999_03`)).rows[0]!.n).toBe(1);
    // idempotent
    expect(
      (await db.query(`SELECT raw.ensure_gl_partitions('1999-03-01', '1999-04-30') AS n`)).rows[0]!.n,
    ).toBe(0);
  });
});
