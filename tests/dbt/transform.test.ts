/**
 * The dbt project end to end on a database of its own: fixture data in raw.* -> `transform`
 * (dbt build + source freshness + docs) builds every model and passes every test; every mart has
 * rows; every model and column is described; fct_gl_lines reconciles exactly with raw.gl_lines,
 * also after a backfilled old month arrives in a new batch.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { transform, type TransformResult } from '../../orchestration/src/transform/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { loadBackfill, loadFixture, loadInFlightBatch } from './fixtures/load-fixture.ts';

const log = createLogger('dbt-test', { level: process.env.LOG_LEVEL ?? 'warn' });

let db: TestDatabase;
let targetPath: string;
let first: TransformResult;

interface Totals {
  lines: string;
  debit: string;
  credit: string;
}

const totals = (relation: string) =>
  db
    .query<Totals>(`SELECT count(*)::text AS lines, sum(debit)::text AS debit, sum(credit)::text AS credit FROM ${relation}`)
    .then((r) => r.rows[0]!);

beforeAll(async () => {
  db = await createTestDatabase();
  await loadFixture((sql, params) => db.query(sql, params));
  targetPath = await mkdtemp(path.join(os.tmpdir(), 'dbt-target-'));
  first = await transform({
    databaseUrl: db.urlAs('transformer'), // as `pipeline transform` does: the transformer login
    log,
    docs: true,
    targetPath,
    logPath: path.join(targetPath, 'logs'),
  });
});

afterAll(async () => {
  await db?.drop();
  if (targetPath) await rm(targetPath, { recursive: true, force: true });
});

describe('dbt transform', () => {
  it('builds every model and passes every test, unit test and freshness check', () => {
    expect(first.build.problems).toEqual([]);
    expect(first.build.warnings).toEqual([]);
    const byType = (type: string) => first.build.nodes.filter((n) => n.resourceType === type);
    expect(byType('model').length).toBeGreaterThanOrEqual(25);
    expect(byType('model').every((n) => n.status === 'success')).toBe(true);
    expect(byType('unit_test').length).toBeGreaterThanOrEqual(6);
    expect(byType('test').every((n) => n.status === 'pass')).toBe(true);
    expect(first.freshness?.problems).toEqual([]);
    expect(first.ok).toBe(true);
  });

  it('describes every model and every column (docs generated and checked)', () => {
    expect(first.docsProblems).toEqual([]);
  });

  it('lands models in exactly staging, intermediate and marts, owned by the transformer, readable by reporting', async () => {
    const { rows } = await db.query<{ schema: string; owner: string; n: string }>(
      `SELECT n.nspname AS schema, pg_get_userbyid(c.relowner) AS owner, count(*)::text AS n
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'v') AND n.nspname IN ('staging', 'intermediate', 'marts')
        GROUP BY 1, 2 ORDER BY 1`,
    );
    expect(rows.map((r) => r.schema)).toEqual(['intermediate', 'marts', 'staging']);
    expect(new Set(rows.map((r) => r.owner))).toEqual(new Set(['energy_transformer']));
    const { rows: stray } = await db.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE '%\\_staging' OR nspname LIKE 'staging\\_%'`);
    expect(stray).toEqual([]);
    await db.query('SET ROLE energy_reporting');
    try {
      await expect(db.query('SELECT count(*) FROM marts.fct_gl_lines')).resolves.toBeDefined();
    } finally {
      await db.query('RESET ROLE');
    }
  });

  it('fills every mart', async () => {
    const { rows: marts } = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1`,
    );
    expect(marts.length).toBeGreaterThanOrEqual(14);
    for (const { table_name } of marts) {
      const { rows } = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM marts.${table_name}`);
      expect(Number(rows[0]!.n), `marts.${table_name}`).toBeGreaterThan(0);
    }
  });

  it('bills every partner exactly its working-interest share of the gross costs', async () => {
    const { rows } = await db.query<{ n: string; off: string }>(
      `SELECT count(*)::text AS n, count(*) FILTER (WHERE billing_variance <> 0)::text AS off FROM marts.fct_jib_billing`,
    );
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
    expect(rows[0]!.off).toBe('0');
  });

  it('keeps months without an EIA benchmark, with null benchmark fields and the latest EIA period', async () => {
    const { rows } = await db.query<{ benchmark_price: string | null; latest_benchmark_date: string }>(
      `SELECT benchmark_price, latest_benchmark_date FROM marts.fct_realized_prices
        WHERE product = 'gas' AND production_month = '2023-12-01'`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.benchmark_price).toBeNull();
      expect(row.latest_benchmark_date).toBe('2023-11-30');
    }
  });

  it('flags each month complete only when its accruals, every remittance and its costs are loaded', async () => {
    const { rows } = await db.query<{ month: string; actuals: boolean; accruals: boolean; costs: boolean; complete: boolean }>(
      `SELECT to_char(accounting_month, 'YYYY-MM') AS month, has_revenue_actuals AS actuals,
              has_revenue_accruals AS accruals, has_costs AS costs, is_complete_month AS complete
         FROM marts.fct_month_completeness ORDER BY 1`,
    );
    // the window is 2023-11-01..2024-01-31: November's gas is remitted by 2024-01-27, December's is not yet
    expect(rows).toEqual([
      { month: '2023-11', actuals: true, accruals: true, costs: true, complete: true },
      { month: '2023-12', actuals: false, accruals: true, costs: true, complete: false },
      { month: '2024-01', actuals: false, accruals: true, costs: true, complete: false },
    ]);
    const { rows: pnl } = await db.query<{ month: string; complete: boolean }>(
      `SELECT DISTINCT to_char(activity_month, 'YYYY-MM') AS month, is_complete_month AS complete
         FROM marts.fct_well_pnl_monthly ORDER BY 1`,
    );
    expect(pnl).toEqual([
      { month: '2023-11', complete: true },
      { month: '2023-12', complete: false },
      { month: '2024-01', complete: false },
    ]);
  });

  it('reconciles fct_gl_lines with raw exactly, also after an old month is backfilled', async () => {
    expect(await totals('marts.fct_gl_lines')).toEqual(await totals('raw.gl_lines'));

    const added = await loadBackfill((sql, params) => db.query(sql, params));
    const incremental = await transform({
      databaseUrl: db.urlAs('transformer'),
      log,
      targetPath,
      logPath: path.join(targetPath, 'logs'),
    });
    expect(incremental.build.problems).toEqual([]);
    expect(incremental.ok).toBe(true);
    const fct = incremental.build.nodes.find((n) => n.uniqueId === 'model.energy.fct_gl_lines');
    expect(fct?.message).toBe(`INSERT 0 ${added}`); // only the new batch, not a rebuild

    const raw = await totals('raw.gl_lines');
    expect(await totals('marts.fct_gl_lines')).toEqual(raw);
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM marts.fct_gl_lines WHERE posting_date < '2023-11-01'`,
    );
    expect(Number(rows[0]!.n)).toBe(added);
    // a second dbt build: on a busy 2-core machine it can take longer than the default timeout
  }, 300_000);

  it('holds one set of GL batches per build: none of a batch still running, in the fact or any mart', async () => {
    const before = await totals('marts.fct_gl_lines');
    const loeBefore = await db.query<{ loe: string }>(`SELECT sum(loe)::text AS loe FROM marts.fct_well_pnl_monthly`);
    const { batchId, lines } = await loadInFlightBatch((sql, params) => db.query(sql, params));
    expect(lines).toBeGreaterThan(0);
    const build = await transform({
      databaseUrl: db.urlAs('transformer'),
      log,
      targetPath,
      logPath: path.join(targetPath, 'logs'),
    });
    // assert_well_pnl_reconciles_to_gl compares the well P&L with the fact: when the P&L read
    // raw through the enriched view it took the running batch's LOE and the fact did not
    expect(build.build.problems).toEqual([]);
    expect(build.ok).toBe(true);
    expect(await totals('marts.fct_gl_lines')).toEqual(before);
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM marts.fct_gl_lines WHERE batch_id = $1`,
      [batchId],
    );
    expect(rows[0]!.n).toBe('0');
    expect((await db.query(`SELECT sum(loe)::text AS loe FROM marts.fct_well_pnl_monthly`)).rows).toEqual(loeBefore.rows);
  }, 300_000);
});
