/**
 * `npm run bench -- scale [--wells N] [--out FILE]`: the whole pipeline on a fresh database at a
 * given size. GL_WELLS=300 (the default, ~1M GL lines a year) is 1x; --wells 900 is 3x, 3000 is
 * 10x. In a scratch database (energy_bench_scale on the project's server) it migrates, loads the
 * replayed EIA data (setup, not timed), then times each stage as the `pipeline` CLI in a child
 * process, exactly as an operator runs it:
 *
 *   backfill   `ingest gl`: the year of GL history from the GL service (HTTP → validate → COPY)
 *   transform  `transform --no-freshness`: the full dbt build (every model and test)
 *   check      `check --no-dbt`: the pipeline's own checks, reading that build's dbt results
 *   report     `report`: the Excel dashboard and the PDF summary from the marts
 *
 * For every stage: wall time, GL lines per second, the peak RSS of the stage's process tree (the
 * node CLI and the dbt it starts), the peak PSS of all PostgreSQL processes (sampled every 250 ms),
 * and the bytes Postgres spilled to temporary files. The figures go to --out as JSON
 * (default .data/bench/scale-<wells>.json) and the last line prints them.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT, loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { resolveDatabaseUrl, withDatabase } from '../database/src/connection.ts';
import { parentOf, samplePeak, treePssMb, treeRssMb } from './memory.ts';
import { arg, createScratchDatabase, startGlService, stop } from './support.ts';

const BENCH_DATABASE = 'energy_bench_scale';
const AS_OF = '2024-01-31';
const BASE_WELLS = 300;

interface StageFigures {
  stage: string;
  seconds: number;
  linesPerSecond: number;
  microsecondsPerLine: number;
  peakProcessMb: number;
  peakPostgresMb: number;
  tempMb: number;
}

const log = createLogger('bench', { level: process.env.LOG_LEVEL ?? 'info' });

/** One `pipeline` command in a child process; its process tree's RSS is sampled while it runs. */
async function pipeline(
  args: string[],
  env: Record<string, string>,
): Promise<{ seconds: number; peakMb: number }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'orchestration/src/cli.ts'), ...args],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', EIA_API_KEY: '', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const memory = samplePeak(() => (child.pid ? treeRssMb(child.pid) : 0));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (status) => resolve(status));
  });
  const peakMb = memory.takePeak();
  memory.stop();
  // check exits 1 only on an error-severity failure; warnings (stale replayed EIA series) exit 0
  if (code !== 0) throw new Error(`pipeline ${args.join(' ')} exited ${code}`);
  return { seconds: (performance.now() - started) / 1000, peakMb };
}

/**
 * Per stage, µs per line here against the 1x run's (its figures file beside this one): the
 * linearity figure. 1.00 is perfectly linear; above 1.20 a stage grows faster than its lines.
 */
async function linearity(stages: StageFigures[], out: string, wells: number): Promise<string> {
  if (wells === BASE_WELLS) return '';
  const basePath = path.join(path.dirname(out), `scale-${BASE_WELLS}.json`);
  const base = await readFile(basePath, 'utf8')
    .then((text) => JSON.parse(text) as { stages: StageFigures[] })
    .catch(() => undefined);
  if (!base) return `; no 1x figures in ${path.relative(PROJECT_ROOT, basePath)} to compare with`;
  const ratios = stages.map((s) => {
    const at1x = base.stages.find((b) => b.stage === s.stage);
    return { stage: s.stage, ratio: at1x ? s.microsecondsPerLine / at1x.microsecondsPerLine : NaN };
  });
  const worst = Math.max(...ratios.map((r) => r.ratio));
  return (
    `; µs/line vs 1x: ${ratios.map((r) => `${r.stage} ${r.ratio.toFixed(2)}`).join(', ')} ` +
    `(linear within 20%: ${worst <= 1.2 ? 'ok' : 'NOT MET'})`
  );
}

async function scalar(client: pg.Client, sql: string): Promise<number> {
  return Number(Object.values((await client.query(sql)).rows[0] as object)[0]);
}

async function main(): Promise<void> {
  const wells = Number(arg('wells') ?? BASE_WELLS);
  if (!Number.isInteger(wells) || wells < 1) throw new Error('--wells must be a positive integer');
  const config = loadConfig();
  const out = arg('out') ?? path.join(config.dataDir, 'bench', `scale-${wells}.json`);

  const serverUrl = await resolveDatabaseUrl(log, config);
  const adminUrl = withDatabase(serverUrl, 'postgres');
  const url = await createScratchDatabase(adminUrl, BENCH_DATABASE);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  // the postmaster is the parent of this backend: its tree is the whole server
  const backend = await scalar(admin, 'SELECT pg_backend_pid()');
  const postmaster = parentOf(backend);
  if (postmaster === undefined)
    throw new Error('the PostgreSQL server must run on this machine (its memory is read from /proc)');
  const db = new pg.Client({ connectionString: url });
  await db.connect();

  const service = await startGlService({ wells, asOf: AS_OF });
  const targetPath = await mkdtemp(path.join(os.tmpdir(), 'bench-scale-dbt-'));
  const reportsDir = await mkdtemp(path.join(os.tmpdir(), 'bench-scale-reports-'));
  const postgres = samplePeak(() => treePssMb(postmaster));
  const env = {
    DATABASE_URL: url,
    GL_API_URL: service.baseUrl,
    GL_AS_OF: AS_OF,
    GL_WELLS: String(wells),
    EIA_REPLAY_DIR: path.resolve(PROJECT_ROOT, '../shared/data/eia'),
  };
  const stages: StageFigures[] = [];
  let lines = 0;
  try {
    log.info({ wells, database: BENCH_DATABASE }, 'setup: migrate and load the replayed EIA data');
    await pipeline(['migrate'], env);
    await pipeline(['ingest', 'eia'], env);
    const plan: Array<[string, string[]]> = [
      ['backfill', ['ingest', 'gl']],
      ['transform', ['transform', '--no-freshness', '--target-path', targetPath]],
      ['check', ['check', '--no-dbt', '--target-path', targetPath]],
      ['report', ['report', '--as-of', AS_OF, '--output-dir', reportsDir]],
    ];
    for (const [stage, args] of plan) {
      await db.query('SELECT pg_stat_reset()').catch(() => undefined);
      const tempBefore = await scalar(
        db,
        `SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()`,
      );
      postgres.takePeak();
      log.info({ stage, command: args.join(' ') }, `stage ${stage}`);
      const run = await pipeline(args, env);
      if (stage === 'backfill') lines = await scalar(db, 'SELECT count(*) FROM raw.gl_lines');
      // pg_stat_database is flushed by backends when they end or every few seconds
      await new Promise((r) => setTimeout(r, 1500));
      const tempAfter = await scalar(
        db,
        `SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()`,
      );
      const figures: StageFigures = {
        stage,
        seconds: Number(run.seconds.toFixed(1)),
        linesPerSecond: Math.round(lines / run.seconds),
        microsecondsPerLine: Number(((run.seconds * 1e6) / lines).toFixed(1)),
        peakProcessMb: Math.round(run.peakMb),
        peakPostgresMb: Math.round(postgres.takePeak()),
        tempMb: Math.round(Math.max(0, tempAfter - tempBefore) / 2 ** 20),
      };
      stages.push(figures);
      log.info(figures, `stage ${stage} done`);
    }
    const databaseMb = Math.round(
      (await scalar(db, 'SELECT pg_database_size(current_database())')) / 2 ** 20,
    );
    const result = {
      wells,
      lines,
      asOf: AS_OF,
      databaseMb,
      machine: `${os.cpus().length} vCPU ${os.cpus()[0]?.model ?? ''}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM`,
      measuredAt: new Date().toISOString(),
      stages,
    };
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, JSON.stringify(result, null, 2) + '\n');
    const total = stages.reduce((sum, s) => sum + s.seconds, 0);
    console.log(
      `scale ${wells} wells (${(wells / BASE_WELLS).toFixed(1)}x), ${lines.toLocaleString('en-US')} GL lines: ` +
        `total ${total.toFixed(0)} s (${Math.round(lines / total).toLocaleString('en-US')} lines/s); ` +
        stages
          .map(
            (s) =>
              `${s.stage} ${s.seconds} s ${s.microsecondsPerLine} µs/line ` +
              `(proc ${s.peakProcessMb} MB, pg ${s.peakPostgresMb} MB, temp ${s.tempMb} MB)`,
          )
          .join('; ') +
        `; database ${databaseMb} MB; figures in ${path.relative(PROJECT_ROOT, out)}` +
        (await linearity(stages, out, wells)),
    );
  } finally {
    postgres.stop();
    await db.end();
    await admin.end();
    await stop(service.child);
    await rm(targetPath, { recursive: true, force: true });
    await rm(reportsDir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
