/**
 * `npm run bench -- report [--wells N] [--reuse] [--runs N]`: the time to build the Excel dashboard
 * and the PDF executive summary from the marts of a year of data. In a scratch database
 * (energy_bench_report on the project's server), a year of GL history from the GL service
 * (300 wells by default, ~1.3M lines) and the replayed EIA data are loaded and transformed with the
 * `pipeline` CLI (skipped with --reuse when its marts exist); then both reports are built --runs
 * times (3) into a temporary folder. The last line prints the median and its parts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import {
  createPool,
  ensureDatabase,
  resolveDatabaseUrl,
  ROLES,
  withDatabase,
} from '../database/src/connection.ts';
import { buildReports } from '../reports/src/build.ts';
import { arg, startGlService } from './support.ts';

const BENCH_DATABASE = 'energy_bench_report';
const AS_OF = '2024-01-31';
const log = createLogger('bench', { level: process.env.LOG_LEVEL ?? 'info' });
const wells = Number(arg('wells') ?? 300);
const runs = Number(arg('runs') ?? 3);

function pipeline(args: string[], env: Record<string, string>): void {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'orchestration/src/cli.ts'), ...args],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', EIA_API_KEY: '', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (result.status !== 0) throw new Error(`pipeline ${args.join(' ')} exited ${result.status}`);
}

async function hasMarts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ present: boolean }>(
      `SELECT to_regclass('marts.fct_well_pnl_monthly') IS NOT NULL AS present`,
    );
    return (
      rows[0]!.present &&
      (await client.query('SELECT 1 FROM marts.fct_well_pnl_monthly LIMIT 1')).rowCount === 1
    );
  } finally {
    await client.end();
  }
}

async function prepare(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
  await admin.end();
  await ensureDatabase(withDatabase(url, 'postgres'), BENCH_DATABASE);
  const service = await startGlService({ wells, asOf: AS_OF });
  const targetPath = await mkdtemp(path.join(os.tmpdir(), 'bench-report-dbt-'));
  try {
    const env = {
      DATABASE_URL: url,
      GL_API_URL: service.baseUrl,
      GL_AS_OF: AS_OF,
      EIA_REPLAY_DIR: path.resolve(PROJECT_ROOT, '../shared/data/eia'),
    };
    for (const args of [
      ['migrate'],
      ['ingest', 'eia'],
      ['ingest', 'gl'],
      ['transform', '--target-path', targetPath],
    ]) {
      log.info({ step: args.join(' ') }, 'preparing the marts');
      pipeline(args, env);
    }
  } finally {
    service.child.kill('SIGTERM');
    await rm(targetPath, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  const url = withDatabase(await resolveDatabaseUrl(log), BENCH_DATABASE);
  if (!(process.argv.includes('--reuse') && (await hasMarts(url).catch(() => false)))) await prepare(url);

  const pool = createPool(url, { role: ROLES.reporting, max: 2, application: 'bench-report' });
  const out = await mkdtemp(path.join(os.tmpdir(), 'bench-report-'));
  const totals: number[] = [];
  const parts: Array<{ readMs: number; excelMs: number; pdfMs: number }> = [];
  let months = 0;
  let lines = 0;
  try {
    lines = Number((await pool.query('SELECT count(*) AS n FROM marts.fct_gl_lines')).rows[0].n);
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const built = await buildReports({ pool, log, asOf: AS_OF, outputDir: out });
      totals.push(performance.now() - started);
      parts.push(built.timings);
      months = built.model.completeMonths.length;
    }
  } finally {
    await pool.end();
    await rm(out, { recursive: true, force: true });
  }
  const s = (ms: number) => (ms / 1000).toFixed(2);
  console.log(
    `report: ${s(median(totals))} s to build dashboard.xlsx + executive_summary.pdf from the marts of ` +
      `${lines.toLocaleString('en-US')} GL lines (${months} complete months, ${wells} wells); ` +
      `read ${s(median(parts.map((p) => p.readMs)))} s, excel ${s(median(parts.map((p) => p.excelMs)))} s, ` +
      `pdf ${s(median(parts.map((p) => p.pdfMs)))} s; median of ${runs}`,
  );
}

await main();
process.exit(0);
