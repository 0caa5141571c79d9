/**
 * `npm run bench -- dbt-incremental [--lines N]`: the cost of fct_gl_lines' incremental run vs
 * its full refresh. In a scratch database (energy_bench_dbt on the project's server), a year of
 * GL history (~1M lines by default, one ingestion batch per day, synthetic balanced journals
 * from SQL generate_series) is built with `dbt run --full-refresh`; then one more day is
 * ingested as a new batch and `dbt run` processes it incrementally. The figure is
 * fct_gl_lines' execution time from run_results.json in both runs, and their ratio (the target
 * is <= 0.10). The last line prints all three.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createLogger } from '../core/logger.ts';
import { resolveDatabaseUrl, withDatabase } from '../database/src/connection.ts';
import { migrate } from '../database/src/migrate.ts';
import { readRunResults, runDbt } from '../orchestration/src/transform/dbt.ts';

const BENCH_DATABASE = 'energy_bench_dbt';
const FIRST_DAY = '2024-01-01';
const DAYS = 366; // 2024 is a leap year: 2024-01-01 .. 2024-12-31 is the history
const WELLS = 300;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const log = createLogger('bench', { level: process.env.LOG_LEVEL ?? 'info' });
const totalLines = Number(arg('lines') ?? 1_000_000);
// every journal has two lines
const journalsPerDay = Math.max(1, Math.round(totalLines / DAYS / 2));

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Reference data: wells (100% company WI), the company owner, the chart of accounts. */
const REFERENCE_SQL = `
INSERT INTO ops.ingestion_batches (source, entity, status, finished_at) VALUES ('gl', 'reference', 'succeeded', now());
INSERT INTO raw.gl_owners (owner_id, payload, payload_hash, batch_id)
VALUES ('OWN-CO', '{"owner_id":"OWN-CO","name":"Dakota Energy","owner_type":"company"}', 'h', 1);
INSERT INTO raw.gl_wells (well_id, payload, payload_hash, batch_id)
SELECT format('W-%s', lpad(w::text, 4, '0')),
       jsonb_build_object('well_id', format('W-%s', lpad(w::text, 4, '0')), 'well_name', format('Bench %s', w),
         'basin', (ARRAY['Permian','Eagle Ford','Williston'])[1 + w % 3], 'state', (ARRAY['TX','TX','ND'])[1 + w % 3],
         'county', 'Bench', 'first_production_date', '2020-01-01', 'status', 'producing',
         'interests', jsonb_build_array(jsonb_build_object('owner_id','OWN-CO','interest_type','WI',
           'working_interest','1.00000000','revenue_interest','1.00000000'))),
       'h', 1
FROM generate_series(1, ${WELLS}) AS w;
INSERT INTO raw.gl_accounts (account_number, payload, payload_hash, batch_id)
SELECT a.num, jsonb_build_object('account_number', a.num, 'name', a.name, 'account_type', a.type, 'category', a.cat,
         'normal_balance', a.nb), 'h', 1
FROM (VALUES ('1000','Cash','asset','cash','debit'), ('1200','AR sales','asset','ar_oil_gas_sales','debit'),
             ('2000','AP','liability','accounts_payable','credit'), ('4000','Oil sales','revenue','revenue_oil','credit'),
             ('4100','Gas sales','revenue','revenue_gas','credit'), ('5000','LOE','expense','loe','debit'),
             ('5100','Severance','expense','severance_tax','debit'), ('5200','Gathering','expense','gathering_transportation','debit'))
     AS a (num, name, type, cat, nb);
`;

/** One day of journals as one ingestion batch: revenue (oil, gas), LOE, severance, gathering, cash. */
function daySql(dayIndex: number): string {
  return `
WITH batch AS (
  INSERT INTO ops.ingestion_batches (source, entity, status, finished_at, params)
  VALUES ('gl', 'lines', 'succeeded', now(), jsonb_build_object('day', (DATE '${FIRST_DAY}' + ${dayIndex})::text))
  RETURNING batch_id
),
journals AS (
  SELECT (DATE '${FIRST_DAY}' + ${dayIndex}) AS d, j, (j % ${WELLS}) + 1 AS w, j % 6 AS kind,
         round((100 + (hashint4(j + ${dayIndex} * 100000) & 65535) / 7.0)::numeric, 2) AS amount
  FROM generate_series(1, ${journalsPerDay}) AS j
),
lines AS (
  SELECT journals.*, side
  FROM journals CROSS JOIN generate_series(1, 2) AS side
)
INSERT INTO raw.gl_lines (posting_date, line_id, journal_id, line_no, accounting_period, account_number, debit, credit,
  source, description, well_id, production_month, product, volume, volume_uom, unit_price, payload_hash, batch_id)
SELECT d,
       format('GL-%s-%s-%s', to_char(d, 'YYYYMMDD'), lpad(j::text, 6, '0'), lpad(side::text, 2, '0')),
       format('GL-%s-%s', to_char(d, 'YYYYMMDD'), lpad(j::text, 6, '0')),
       side, to_char(d, 'YYYY-MM'),
       CASE kind WHEN 0 THEN (ARRAY['1200','4000'])[side] WHEN 1 THEN (ARRAY['1200','4100'])[side]
                 WHEN 2 THEN (ARRAY['5000','2000'])[side] WHEN 3 THEN (ARRAY['5100','1200'])[side]
                 WHEN 4 THEN (ARRAY['5200','1200'])[side] ELSE (ARRAY['1000','1200'])[side] END,
       CASE side WHEN 1 THEN amount ELSE 0 END,
       CASE side WHEN 2 THEN amount ELSE 0 END,
       CASE kind WHEN 0 THEN 'revenue' WHEN 1 THEN 'revenue' WHEN 2 THEN 'ap' WHEN 5 THEN 'cash' ELSE 'revenue' END,
       'bench journal',
       CASE WHEN kind < 5 THEN format('W-%s', lpad(w::text, 4, '0')) END,
       CASE WHEN kind IN (0, 1, 3, 4) THEN to_char(d - 45, 'YYYY-MM') END,
       CASE kind WHEN 0 THEN 'oil' WHEN 1 THEN 'gas' WHEN 3 THEN 'oil' WHEN 4 THEN 'gas' END,
       CASE WHEN kind IN (0, 1) AND side = 2 THEN round(amount / (CASE kind WHEN 0 THEN 75 ELSE 2.5 END), 2) END,
       CASE WHEN kind IN (0, 1) AND side = 2 THEN (CASE kind WHEN 0 THEN 'bbl' ELSE 'mcf' END) END,
       CASE WHEN kind IN (0, 1) AND side = 2 THEN (CASE kind WHEN 0 THEN 75 ELSE 2.5 END) END,
       md5(j::text), (SELECT batch_id FROM batch)
FROM lines;`;
}

async function fctTime(
  targetPath: string,
): Promise<{ seconds: number; message: string | null; elapsed: number }> {
  const results = await readRunResults(targetPath);
  const fct = results.nodes.find((n) => n.uniqueId === 'model.energy.fct_gl_lines');
  if (!fct || fct.status !== 'success')
    throw new Error(`fct_gl_lines did not build: ${fct?.message ?? 'not run'}`);
  return { seconds: fct.executionTime, message: fct.message, elapsed: results.elapsedTime };
}

async function main() {
  const projectUrl = await resolveDatabaseUrl(log);
  const adminUrl = withDatabase(projectUrl, 'postgres');
  const url = withDatabase(projectUrl, BENCH_DATABASE);
  await withClient(adminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${BENCH_DATABASE}`);
  });
  await migrate(url, log);

  const loadStart = performance.now();
  await withClient(url, async (c) => {
    await c.query(`SELECT raw.ensure_gl_partitions(DATE '${FIRST_DAY}', DATE '${FIRST_DAY}' + ${DAYS + 1})`);
    await c.query(REFERENCE_SQL);
    for (let day = 0; day < DAYS; day++) await c.query(daySql(day));
    await c.query('ANALYZE');
  });
  const { rows } = await withClient(url, (c) =>
    c.query<{ n: string }>('SELECT count(*)::text AS n FROM raw.gl_lines'),
  );
  log.info(
    { lines: Number(rows[0]!.n), days: DAYS, seconds: ((performance.now() - loadStart) / 1000).toFixed(1) },
    'history loaded',
  );

  const targetPath = await mkdtemp(path.join(os.tmpdir(), 'bench-dbt-'));
  try {
    const dbt = (args: string[]) =>
      runDbt({ databaseUrl: url, args, targetPath, logPath: path.join(targetPath, 'logs'), log });
    const select = ['--select', '+fct_gl_lines'];
    const full = await dbt(['run', ...select, '--full-refresh']);
    if (full.exitCode !== 0) throw new Error(`full refresh failed:\n${full.output.slice(-2000)}`);
    const fullTime = await fctTime(targetPath);
    log.info(
      { fct_gl_lines_s: fullTime.seconds, run_s: fullTime.elapsed, message: fullTime.message },
      'full refresh',
    );

    await withClient(url, (c) => c.query(daySql(DAYS)));
    const incremental = await dbt(['run', ...select]);
    if (incremental.exitCode !== 0)
      throw new Error(`incremental run failed:\n${incremental.output.slice(-2000)}`);
    const incTime = await fctTime(targetPath);
    log.info(
      { fct_gl_lines_s: incTime.seconds, run_s: incTime.elapsed, message: incTime.message },
      'incremental',
    );

    const ratio = incTime.seconds / fullTime.seconds;
    console.log(
      `dbt-incremental: fct_gl_lines full refresh ${fullTime.seconds.toFixed(2)} s (${rows[0]!.n} lines), ` +
        `incremental ${incTime.seconds.toFixed(2)} s (+1 day, ${incTime.message}), ratio ${ratio.toFixed(3)} ` +
        `(target <= 0.10: ${ratio <= 0.1 ? 'ok' : 'MISSED'})`,
    );
    if (ratio > 0.1) process.exitCode = 1;
  } finally {
    await rm(targetPath, { recursive: true, force: true });
    await withClient(adminUrl, (c) =>
      c.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`),
    ).catch(() => undefined);
  }
}

await main();
