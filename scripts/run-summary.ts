/**
 * The summary `./run.sh` ends with: rows per layer, checks passed / warned / failed, the as-of date
 * and the months covered, and where the reports, the dbt docs and the status page are. It reads
 * the database and the files the run wrote; it changes nothing. `--json` prints the same facts as
 * one JSON object; `--write <file>` also saves it there (run.sh: .data/run/last-summary.json,
 * which its test reads).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { loadConfig, PROJECT_ROOT } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { createPool, resolveDatabaseUrl } from '../database/src/connection.ts';

export interface RunSummary {
  layers: Record<
    string,
    {
      tables: number;
      rows: number;
      largest: Array<{ table: string; rows: number }>;
      counts: Record<string, number>;
    }
  >;
  checks: { passed: number; warned: number; failed: number; source: string } | undefined;
  asOf: string;
  months: { first: string; last: string; count: number; complete: number | undefined } | undefined;
  eiaLoaded: boolean;
  reports: string[];
  dbtDocs: string | undefined;
  statusPage: string;
}

const LAYERS = ['raw', 'staging', 'intermediate', 'marts', 'ops'] as const;
/** Layers whose views are only SQL over the one below (counting them repeats the same rows). */
const TABLE_KINDS = `('r', 'p', 'm')`;

async function tableExists(pool: pg.Pool, name: string): Promise<boolean> {
  const { rows } = await pool.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [name]);
  return rows[0]?.ok ?? false;
}

async function layerRows(pool: pg.Pool, schema: string): Promise<RunSummary['layers'][string]> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ${TABLE_KINDS} AND NOT c.relispartition ORDER BY 1`,
    [schema],
  );
  const counted: Array<{ table: string; rows: number }> = [];
  for (const { name } of tables) {
    const ident = `${schema}.${name.replace(/"/g, '""')}`;
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${schema}."${name.replace(/"/g, '""')}"`,
    );
    counted.push({ table: ident, rows: Number(rows[0]?.n ?? 0) });
  }
  counted.sort((a, b) => b.rows - a.rows);
  return {
    tables: counted.length,
    rows: counted.reduce((sum, t) => sum + t.rows, 0),
    largest: counted.slice(0, 3),
    counts: Object.fromEntries(counted.map((t) => [t.table, t.rows])),
  };
}

/** The latest run's check results: ops.dq_results first, else dbt's own run_results.json. */
async function checkCounts(pool: pg.Pool, dbtTargets: string[]): Promise<RunSummary['checks']> {
  if (await tableExists(pool, 'ops.dq_results')) {
    const { rows } = await pool.query<{ passed: string; warned: string; failed: string; n: string }>(
      `WITH latest AS (
         SELECT * FROM ops.dq_results
          WHERE run_id IS NOT DISTINCT FROM (SELECT run_id FROM ops.dq_results ORDER BY checked_at DESC LIMIT 1))
       SELECT count(*) FILTER (WHERE status = 'pass') AS passed,
              count(*) FILTER (WHERE status <> 'pass' AND severity = 'warn') AS warned,
              count(*) FILTER (WHERE status <> 'pass' AND severity <> 'warn') AS failed,
              count(*) AS n
         FROM latest`,
    );
    const row = rows[0];
    if (row && Number(row.n) > 0) {
      return {
        passed: Number(row.passed),
        warned: Number(row.warned),
        failed: Number(row.failed),
        source: 'ops.dq_results',
      };
    }
  }
  // The newest dbt build or test (docs generate writes a run_results.json of its own).
  const runs = dbtTargets
    .flatMap((dir) => [dir, ...subfolders(dir)])
    .map((dir) => path.join(dir, 'run_results.json'))
    .filter((file) => existsSync(file))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
    .map((file) => ({ file, json: JSON.parse(readFileSync(file, 'utf8')) as RunResults }))
    .filter(({ json }) => ['build', 'test'].includes(json.args?.which ?? ''));
  if (!runs[0]) return undefined;
  const { file, json } = runs[0];
  const tests = json.results.filter(
    (r) => r.unique_id.startsWith('test.') || r.unique_id.startsWith('unit_test.'),
  );
  return {
    passed: tests.filter((r) => r.status === 'pass').length,
    warned: tests.filter((r) => r.status === 'warn').length,
    failed: tests.filter((r) => ['fail', 'error'].includes(r.status)).length,
    source: path.relative(PROJECT_ROOT, file),
  };
}

async function monthsCovered(pool: pg.Pool): Promise<RunSummary['months']> {
  if (await tableExists(pool, 'marts.fct_month_completeness')) {
    const { rows } = await pool.query<{ first: string; last: string; n: string; complete: string }>(
      `SELECT to_char(min(accounting_month), 'YYYY-MM') AS first, to_char(max(accounting_month), 'YYYY-MM') AS last,
              count(*) AS n, count(*) FILTER (WHERE is_complete_month) AS complete
         FROM marts.fct_month_completeness`,
    );
    const row = rows[0];
    if (row?.first)
      return { first: row.first, last: row.last, count: Number(row.n), complete: Number(row.complete) };
  }
  if (!(await tableExists(pool, 'raw.gl_lines'))) return undefined;
  const { rows } = await pool.query<{ first: string | null; last: string | null; n: string }>(
    `SELECT min(accounting_period) AS first, max(accounting_period) AS last,
            count(DISTINCT accounting_period) AS n FROM raw.gl_lines`,
  );
  const row = rows[0];
  return row?.first && row.last
    ? { first: row.first, last: row.last, count: Number(row.n), complete: undefined }
    : undefined;
}

interface RunResults {
  args?: { which?: string };
  results: Array<{ unique_id: string; status: string }>;
}

function subfolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(dir, entry.name));
}

function newest(files: string[]): string | undefined {
  return files
    .filter((file) => existsSync(file))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

function reportFiles(): string[] {
  const dir = path.join(PROJECT_ROOT, 'reports', 'output', 'latest');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.(xlsx|pdf)$/i.test(name))
    .sort()
    .map((name) => path.relative(PROJECT_ROOT, path.join(dir, name)));
}

export async function collectSummary(): Promise<RunSummary> {
  const config = loadConfig();
  const log = createLogger('summary', { level: 'warn' }, 2);
  // Where dbt writes: `pipeline run` per run (.data/dbt/runs/<id>), `check`, `transform`, and dbt/target.
  const dbtTargets = [
    path.join(config.dataDir, 'dbt', 'runs'),
    path.join(config.dataDir, 'dbt', 'check'),
    path.join(config.dataDir, 'dbt', 'target'),
    path.join(PROJECT_ROOT, 'dbt', 'target'),
  ];
  const pool = createPool(await resolveDatabaseUrl(log, config), { max: 1, application: 'run-summary' });
  try {
    const layers: RunSummary['layers'] = {};
    for (const layer of LAYERS) layers[layer] = await layerRows(pool, layer);
    const eiaLoaded = (await tableExists(pool, 'raw.eia_observations'))
      ? ((await pool.query('SELECT 1 FROM raw.eia_observations LIMIT 1')).rowCount ?? 0) > 0
      : false;
    const docs = newest(dbtTargets.map((dir) => path.join(dir, 'static_index.html')));
    return {
      layers,
      checks: await checkCounts(pool, dbtTargets),
      asOf: config.gl.asOf,
      months: await monthsCovered(pool),
      eiaLoaded,
      reports: reportFiles(),
      dbtDocs: docs && path.relative(PROJECT_ROOT, docs),
      statusPage: `http://127.0.0.1:${(config as Partial<{ pipeline: { statusPort: number } }>).pipeline?.statusPort ?? 3000}/`,
    };
  } finally {
    await pool.end();
  }
}

const n = (value: number) => value.toLocaleString('en-US');

export function formatSummary(s: RunSummary): string {
  const rows = (layer: string) => {
    const l = s.layers[layer];
    if (!l?.tables) return 'not built';
    const top = l.largest.map((t) => `${t.table.split('.')[1]} ${n(t.rows)}`).join(', ');
    return `${n(l.rows).padStart(11)} rows in ${l.tables} tables (${top}${l.tables > 3 ? ', …' : ''})`;
  };
  const checks = s.checks
    ? `${n(s.checks.passed)} passed · ${n(s.checks.warned)} warned · ${n(s.checks.failed)} failed  (${s.checks.source})`
    : 'no check results yet';
  const months = s.months
    ? `${s.months.first} … ${s.months.last}: ${s.months.count} months` +
      (s.months.complete === undefined ? '' : `, ${s.months.complete} complete`)
    : 'no ledger loaded';
  return [
    `raw        ${rows('raw')}`,
    `marts      ${rows('marts')}`,
    `checks     ${checks}`,
    `as of      ${s.asOf}   months ${months}`,
    `EIA        ${s.eiaLoaded ? 'loaded' : 'EIA data not loaded (set EIA_API_KEY, or EIA_REPLAY_DIR to a folder of EIA CSVs)'}`,
    `reports    ${s.reports.length ? s.reports.join('\n           ') : 'none written'}`,
    `dbt docs   ${s.dbtDocs ?? 'not generated'}`,
    `status     ${s.statusPage}  (./run.sh --serve keeps it running)`,
  ].join('\n');
}

if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === path.resolve(PROJECT_ROOT, 'scripts', 'run-summary.ts')
) {
  const summary = await collectSummary();
  console.log(process.argv.includes('--json') ? JSON.stringify(summary) : formatSummary(summary));
  const target = process.argv[process.argv.indexOf('--write') + 1];
  if (process.argv.includes('--write') && target)
    writeFileSync(target, `${JSON.stringify(summary, null, 2)}\n`);
  process.exit(0);
}
