/**
 * `npm run bench -- freshness [--minutes M] [--every DURATION] [--wells W] [--speed X]
 * [--database NAME]`: end-to-end freshness of `pipeline serve`: the time from a GL line being
 * emitted on the live stream to it being in marts.fct_gl_lines, p50/p95 over M minutes (default 10).
 *
 * A scratch database (`energy_bench_freshness`, or --database for runs side by side; dropped
 * afterwards) is migrated; the GL service runs in this process on a compressed clock (X ledger
 * seconds per second, default 60, from 00:00 of GL_AS_OF: 300 wells then stream ~2 lines a
 * second in 1 s slots) and `pipeline serve` runs as a child process against it, its log in
 * .data/logs/bench-freshness-serve-<database>.log. GL_TRANSFORM_EVERY is --every, or left unset
 * so its default applies (core/config.ts).
 *
 * This process follows the stream as a client of its own and notes when each event arrived; it
 * polls the fact every second for the lines of the events it still waits for. A line's freshness
 * is the poll that first found it minus its event's arrival (resolution: one poll). Measuring
 * starts when serve's first GL transform (which loads the history year and builds the fact in
 * full) has finished; events that arrive in the next M minutes are counted, and the bench waits
 * for all of them to land. Done when: p95 under 60 s.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createParser } from 'eventsource-parser';
import pg from 'pg';
import { buildServer } from '../api/src/build.ts';
import { loadConfig, PROJECT_ROOT } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { resolveDatabaseUrl } from '../database/src/connection.ts';
import { migrate } from '../database/src/migrate.ts';
import { arg, createScratchDatabase, dropScratchDatabase, freePort, percentile } from './support.ts';

const AS_OF = '2024-01-31';
const P95_TARGET_S = 60;
const POLL_MS = 1000;

interface Arrival {
  receivedAt: number;
  /** The event's last line: the fact holds the event's lines once it holds this one (one batch). */
  lineId: string;
  lines: number;
  landedAt?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Ctrl-C or SIGTERM ends the wait loops, so the finally block stops serve and drops the database.
let interrupted: string | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => (interrupted = signal));
function checkInterrupted(): void {
  if (interrupted) throw new Error(`stopped by ${interrupted}`);
}

async function main(): Promise<void> {
  const minutes = Number(arg('minutes') ?? '10');
  const every = arg('every');
  const wells = Number(arg('wells') ?? '300');
  const speed = Number(arg('speed') ?? '60');
  // two runs (e.g. two intervals) side by side need databases of their own
  const DATABASE = arg('database') ?? 'energy_bench_freshness';
  const log = createLogger('bench', { level: 'warn' });
  const config = loadConfig();
  const everyS = every === undefined ? config.pipeline.glTransformEverySeconds : undefined;

  const adminUrl = await resolveDatabaseUrl(log, config);
  const url = await createScratchDatabase(adminUrl, DATABASE);
  await migrate(url, log);

  const started = Date.now();
  const origin = Date.parse(`${AS_OF}T00:00:00Z`);
  const gl = await buildServer({
    seed: 42,
    wells,
    asOf: AS_OF,
    streamIntervalS: 1,
    streamPollMs: 200,
    rateLimitMax: 100_000,
    generatorThreads: 2,
    now: () => origin + (Date.now() - started) * speed,
  });
  await gl.listen({ port: 0, host: '127.0.0.1' });
  const glUrl = `http://127.0.0.1:${(gl.server.address() as AddressInfo).port}`;

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-freshness-'));
  const logDir = path.join(config.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `bench-freshness-serve-${DATABASE}.log`);
  const serveLog = createWriteStream(logFile);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    LOADER_DATABASE_URL: '',
    TRANSFORMER_DATABASE_URL: '',
    REPORTING_DATABASE_URL: '',
    GL_API_URL: glUrl,
    GL_API_TOKEN: '',
    GL_AS_OF: AS_OF,
    EIA_API_KEY: '',
    EIA_REPLAY_DIR: '',
    ALERT_WEBHOOK_URL: '',
    PIPELINE_EIA_CRON: '0 6 1 1 *',
    PIPELINE_STATUS_PORT: String(await freePort()),
    PIPELINE_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
  };
  if (every === undefined) delete env.GL_TRANSFORM_EVERY;
  else env.GL_TRANSFORM_EVERY = every;
  const serve = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'orchestration/src/cli.ts'), 'serve'],
    {
      cwd: PROJECT_ROOT,
      env,
      detached: true, // its own process group, so stopping it stops dbt too
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  serve.stdout.pipe(serveLog);
  serve.stderr.pipe(serveLog);
  const serveExited = new Promise<number | null>((resolve) => serve.once('close', resolve));

  const controller = new AbortController();
  const arrivals: Arrival[] = [];
  let measuring = false;
  let measureUntil = Infinity;
  const follow = (async () => {
    const response = await fetch(`${glUrl}/get-gl`, {
      headers: { accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
    const parser = createParser({
      onEvent: (event) => {
        const receivedAt = Date.now();
        if (!measuring || receivedAt > measureUntil) return;
        const lines = JSON.parse(event.data) as Array<{ line_id: string }>;
        const last = lines[lines.length - 1];
        if (last) arrivals.push({ receivedAt, lineId: last.line_id, lines: lines.length });
      },
    });
    const decoder = new TextDecoder();
    for await (const chunk of response.body) parser.feed(decoder.decode(chunk, { stream: true }));
  })().catch((error: unknown) => {
    if (!controller.signal.aborted) throw error;
  });

  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const firstRunDeadline = Date.now() + 30 * 60_000;
    for (;;) {
      if (serve.exitCode !== null)
        throw new Error(`pipeline serve exited with ${serve.exitCode}; see ${logFile}`);
      const { rowCount } = await db.query(
        // a skipped slot is recorded finished too; the fact exists once a run has built it
        `SELECT 1 FROM ops.pipeline_runs
          WHERE command = 'gl-transform' AND status NOT IN ('running', 'skipped') AND finished_at IS NOT NULL
            AND to_regclass('marts.fct_gl_lines') IS NOT NULL`,
      );
      if (rowCount) break;
      if (Date.now() > firstRunDeadline)
        throw new Error(`no GL transform finished in 30 minutes; see ${logFile}`);
      await sleep(2000);
      checkInterrupted();
    }
    const windowStart = Date.now();
    console.log(
      `first GL transform done after ${((windowStart - started) / 1000).toFixed(0)} s; measuring for ${minutes} min`,
    );
    measuring = true;
    measureUntil = windowStart + minutes * 60_000;
    // after the window, the events in it have one more interval plus a build to land
    const landBy = measureUntil + Math.max(10 * 60_000, 3 * (everyS ?? 300) * 1000);
    for (;;) {
      const pending = arrivals.filter((a) => a.landedAt === undefined);
      if (pending.length > 0) {
        const { rows } = await db.query<{ line_id: string }>(
          `SELECT line_id FROM marts.fct_gl_lines WHERE line_id = ANY($1::text[])`,
          [pending.map((a) => a.lineId)],
        );
        const now = Date.now();
        const found = new Set(rows.map((r) => r.line_id));
        for (const a of pending) if (found.has(a.lineId)) a.landedAt = now;
      }
      const done = Date.now() > measureUntil && arrivals.every((a) => a.landedAt !== undefined);
      if (done || Date.now() > landBy) break;
      if (serve.exitCode !== null)
        throw new Error(`pipeline serve exited with ${serve.exitCode}; see ${logFile}`);
      await sleep(POLL_MS);
      checkInterrupted();
    }

    const { rows: runs } = await db.query<{ status: string; seconds: number }>(
      `SELECT status, extract(epoch FROM finished_at - started_at)::float AS seconds FROM ops.pipeline_runs
        WHERE command = 'gl-transform' AND started_at >= $1 ORDER BY run_id`,
      [new Date(windowStart)],
    );
    const landed = arrivals.filter((a) => a.landedAt !== undefined);
    const missing = arrivals.length - landed.length;
    // one value per line: every line of an event arrived and landed together
    const perLine = landed
      .flatMap((a) => Array<number>(a.lines).fill(((a.landedAt as number) - a.receivedAt) / 1000))
      .sort((x, y) => x - y);
    const lines = perLine.length;
    const p50 = percentile(perLine, 50);
    const p95 = percentile(perLine, 95);
    const max = perLine[perLine.length - 1] ?? NaN;
    const ranRuns = runs.filter((r) => r.status !== 'skipped' && r.seconds !== null);
    const runSeconds = ranRuns.map((r) => r.seconds).sort((x, y) => x - y);
    const interval = every ?? `${config.pipeline.glTransformEverySeconds}s (default)`;
    console.log(
      JSON.stringify({
        every: interval,
        minutes,
        wells,
        speed,
        events: arrivals.length,
        lines,
        missing,
        freshnessS: { p50, p95, max },
        runs: runs.length,
        skipped: runs.filter((r) => r.status === 'skipped').length,
        failed: runs.filter((r) => r.status === 'failed').length,
        runSeconds: { p50: percentile(runSeconds, 50), max: runSeconds[runSeconds.length - 1] },
        log: logFile,
      }),
    );
    const ok = missing === 0 && lines > 0 && p95 < P95_TARGET_S;
    console.log(
      `freshness: GL_TRANSFORM_EVERY=${interval}, ${minutes} min, ${lines} lines in ${arrivals.length} events ` +
        `(${missing} never landed): stream → fct_gl_lines p50 ${p50.toFixed(1)} s, p95 ${p95.toFixed(1)} s, ` +
        `max ${max.toFixed(1)} s; ${ranRuns.length} GL transforms, median ${percentile(runSeconds, 50).toFixed(1)} s ` +
        `(target p95 < ${P95_TARGET_S} s: ${ok ? 'ok' : 'NOT MET'})`,
    );
  } finally {
    controller.abort();
    await follow;
    try {
      process.kill(-(serve.pid as number), 'SIGTERM');
    } catch {
      // already gone
    }
    await serveExited;
    serveLog.end();
    await db.end();
    await gl.close();
    await rm(dataDir, { recursive: true, force: true });
    await dropScratchDatabase(adminUrl, DATABASE);
  }
}

await main();
process.exit(0);
