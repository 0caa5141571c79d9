/**
 * Least privilege, proven by trying: every statement runs on a connection whose role is set in
 * its startup packet, exactly as the pipeline's own pools do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, ROLES, type StageRole } from '../../database/src/connection.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let db: TestDatabase;
const pools: ReturnType<typeof createPool>[] = [];

function as(role: StageRole) {
  const pool = createPool(db.url, { role, max: 1 });
  pools.push(pool);
  return pool;
}

async function denied(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: { code?: string }) => e,
  );
  expect(error, 'statement should have been refused').toBeDefined();
  return (error as { code: string }).code;
}

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await db?.drop();
});

describe('stage roles', () => {
  it('connections really run as the stage role', async () => {
    const { rows } = await as(ROLES.loader).query('SELECT current_user AS u');
    expect(rows[0].u).toBe('energy_loader');
  });

  it('the loader writes raw and ops but cannot drop, alter or truncate', async () => {
    const loader = as(ROLES.loader);
    const { rows } = await loader.query(
      `INSERT INTO ops.ingestion_batches (source, entity) VALUES ('gl', 'lines') RETURNING batch_id`,
    );
    await loader.query(`SELECT raw.ensure_gl_partitions('2001-01-01', '2001-01-31')`);
    await loader.query(
      `INSERT INTO raw.gl_lines (posting_date, line_id, journal_id, line_no, accounting_period, account_number,
                                 debit, credit, source, payload_hash, batch_id)
       VALUES ('2001-01-05', 'L1', 'J1', 1, '2001-01', '1000', 5, 0, 'gl', 'h', $1)`,
      [rows[0].batch_id],
    );
    expect(await denied(loader.query('DROP TABLE raw.gl_lines'))).toBe('42501');
    expect(await denied(loader.query('ALTER TABLE raw.eia_observations ADD COLUMN x int'))).toBe('42501');
    expect(await denied(loader.query('TRUNCATE raw.gl_lines'))).toBe('42501');
    expect(await denied(loader.query('DELETE FROM raw.gl_lines'))).toBe('42501');
    expect(await denied(loader.query('CREATE TABLE raw.sneaky (x int)'))).toBe('42501');
    expect(await denied(loader.query('SELECT * FROM marts.anything'))).toBe('42501');
  });

  it('the reporting role cannot read raw or ops tables, nor write anything', async () => {
    const reporting = as(ROLES.reporting);
    expect(await denied(reporting.query('SELECT * FROM raw.gl_lines LIMIT 1'))).toBe('42501');
    expect(await denied(reporting.query('SELECT * FROM ops.ingestion_batches LIMIT 1'))).toBe('42501');
    expect(
      await denied(
        reporting.query(`INSERT INTO ops.quarantine (source, entity, reason) VALUES ('gl','x','y')`),
      ),
    ).toBe('42501');
    expect(await denied(reporting.query('CREATE TABLE marts.sneaky (x int)'))).toBe('42501');
    // the ops views made for reports are readable
    await reporting.query('SELECT * FROM ops.report_latest_batches');
  });

  it('a table the transformer (dbt) creates later in marts is readable by reporting and nothing more', async () => {
    const transformer = as(ROLES.transformer);
    await transformer.query('SELECT count(*) FROM raw.gl_lines');
    await transformer.query('CREATE TABLE marts.fct_later AS SELECT 1 AS x');
    await transformer.query('CREATE TABLE staging.not_for_reports AS SELECT 1 AS x');
    const reporting = as(ROLES.reporting);
    expect((await reporting.query('SELECT x FROM marts.fct_later')).rows).toEqual([{ x: 1 }]);
    expect(await denied(reporting.query('INSERT INTO marts.fct_later VALUES (2)'))).toBe('42501');
    expect(await denied(reporting.query('SELECT * FROM staging.not_for_reports'))).toBe('42501');
    expect(await denied(transformer.query(`INSERT INTO raw.gl_wells VALUES ('w', '{}', 'h', 1)`))).toBe(
      '42501',
    );
  });
});
