/**
 * The chaos harness (`npm run chaos`): the whole pipeline (`pipeline run` through the real CLI)
 * twice on the same ledger — once undisturbed, once under faults — then the one comparison of
 * chaos/fingerprint.ts between the two databases.
 *
 * Faults of the chaos run, at points drawn from the seed:
 * - the GL service answers 503 to every GL request for a few seconds, then several responses are
 *   cut mid-body (a fault-injecting proxy between the pipeline and the service: the service has
 *   no fault switch);
 * - SIGKILL of the orchestrator (its whole process group, dbt included) during the GL ingestion,
 *   during dbt, and during the checks or the reports; after each, the same `pipeline run` again,
 *   and DBOS recovery resumes the interrupted workflow;
 * - one restart of the database (pg_ctl stop -m fast, then start) while dbt runs.
 *
 * Each run has a data dir and an embedded PostgreSQL of its own under .data/chaos/<pid>/, so the
 * restart disturbs nobody else; the GL service, the EIA replay and the proxy run in this process,
 * one service for both runs.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { buildServer } from '../api/src/build.ts';
import { Rng } from '../api/src/domain/prng.ts';
import { optionsFromConfig } from '../api/src/options.ts';
import { loadConfig, PROJECT_ROOT } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { EMBEDDED_DATABASE, withDatabase } from '../database/src/connection.ts';
import {
  destroyEmbeddedPostgres,
  ensureEmbeddedPostgres,
  stopEmbeddedPostgres,
} from '../database/src/embedded.ts';
import { startEiaReplayServer } from '../ingestion/src/eia/index.ts';
import { replayAsOf } from '../scripts/replay-as-of.ts';
import { startCli, type CliRun } from './cli-process.ts';
import { databaseFingerprint, diffFingerprints, type DatabaseFingerprint } from './fingerprint.ts';
import { startFaultProxy } from './fault-proxy.ts';

export const EIA_DIR = path.resolve(PROJECT_ROOT, '../shared/data/eia');
/** 1x: the default configuration (core/config.ts). */
export const BASE_WELLS = 300;
const GL_PATH = '/v1/gl/';

export interface ChaosOptions {
  seed: number;
  /** Multiplies GL_WELLS (1 = 300 wells, about a million GL lines a year). */
  scale: number;
  /** Where the two runs keep their data dirs (deleted at the end unless `keep`). */
  workDir?: string;
  keep?: boolean;
  /** One line of the harness's own story (default: stdout). */
  print?: (line: string) => void;
  /** The internal logger of the embedded PostgreSQL helpers. */
  log: Logger;
}

export interface ChaosResult {
  passed: boolean;
  differences: string[];
  faults: string[];
  seconds: { reference: number; chaos: number; total: number };
}

/** Chaos runs killed before their clean-up leave clusters behind: those of dead pids go. */
async function removeAbandoned(root: string, log: Logger): Promise<void> {
  for (const entry of await readdir(root).catch(() => [] as string[])) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
      continue;
    } catch {
      // gone: its clusters are abandoned
    }
    for (const run of ['reference', 'chaos'])
      await destroyEmbeddedPostgres(path.join(root, entry, run), log).catch(() => undefined);
    await rm(path.join(root, entry), { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const rng = new Rng(options.seed, 'chaos');
  const started = Date.now();
  const stamp = () => `[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s]`;
  const say = (line: string) => print(`${stamp()} ${line}`);
  const faults: string[] = [];
  const fault = (line: string) => (faults.push(line), say(`FAULT  ${line}`));

  const config = loadConfig();
  const wells = Math.max(1, Math.round(BASE_WELLS * options.scale));
  const asOf = replayAsOf(EIA_DIR);
  if (!asOf) throw new Error(`no EIA replay data in ${EIA_DIR}: the chaos run replays the real EIA files`);
  const root = path.join(PROJECT_ROOT, '.data', 'chaos');
  await removeAbandoned(root, options.log);
  const workDir = options.workDir ?? path.join(root, String(process.pid));
  await mkdir(workDir, { recursive: true });
  print(
    `chaos: seed ${options.seed}, scale ${options.scale}x (GL_WELLS=${wells}, GL_SEED=${config.gl.seed}, GL_AS_OF=${asOf}), work dir ${path.relative(PROJECT_ROOT, workDir)}`,
  );
  print(`       reproduce with: npm run chaos -- --seed ${options.seed} --scale ${options.scale}`);

  // One GL service for both runs (the ledger is a pure function of seed, wells and as-of).
  const gl = await buildServer({
    ...optionsFromConfig({ ...config.gl, wells, asOf, priceDeckDir: EIA_DIR }, config.api),
    rateLimitMax: 100_000,
  });
  await gl.listen({ port: 0, host: '127.0.0.1' });
  const glUrl = `http://127.0.0.1:${(gl.server.address() as AddressInfo).port}`;
  const eia = await startEiaReplayServer({ dir: EIA_DIR, port: 0, host: '127.0.0.1', requireApiKey: false });
  const proxy = await startFaultProxy(glUrl);
  const live = new Set<CliRun>();
  let keep = options.keep ?? false;
  const dataDirs: string[] = [];

  const envFor = (dataDir: string, glApiUrl: string): NodeJS.ProcessEnv => ({
    ...process.env,
    DATABASE_URL: '',
    LOADER_DATABASE_URL: '',
    TRANSFORMER_DATABASE_URL: '',
    REPORTING_DATABASE_URL: '',
    PIPELINE_DATA_DIR: dataDir,
    GL_API_URL: glApiUrl,
    GL_API_TOKEN: '',
    GL_WELLS: String(wells),
    GL_AS_OF: asOf,
    EIA_BASE_URL: eia.baseUrl,
    EIA_API_KEY: '',
    EIA_REPLAY_DIR: '',
    ALERT_WEBHOOK_URL: '',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    // two threads on a small machine: the faults, not contention, should be what the run survives
    DBT_THREADS: process.env.DBT_THREADS ?? '2',
  });

  let cliCount = 0;
  const cli = async (dataDir: string, env: NodeJS.ProcessEnv, args: string[]): Promise<CliRun> => {
    const run = startCli(args, env);
    live.add(run);
    const n = ++cliCount;
    void run.exited.then(() => {
      live.delete(run);
      return writeFile(path.join(dataDir, `cli-${n}-${args[0]}.log`), run.output()).catch(() => undefined);
    });
    return run;
  };
  const mustSucceed = async (dataDir: string, env: NodeJS.ProcessEnv, args: string[]) => {
    const run = await cli(dataDir, env, args);
    const code = await run.exited;
    if (code !== 0)
      throw new Error(`pipeline ${args.join(' ')} exited with ${code}:\n${run.output().slice(-4000)}`);
    return run;
  };
  const connect = async (dataDir: string) => {
    const server = await ensureEmbeddedPostgres(dataDir, options.log);
    const pool = new pg.Pool({ connectionString: withDatabase(server.adminUrl, EMBEDDED_DATABASE), max: 2 });
    pool.on('error', () => undefined);
    return pool;
  };
  const fingerprint = async (dataDir: string): Promise<DatabaseFingerprint> => {
    const pool = await connect(dataDir);
    try {
      return await databaseFingerprint((sql, params) => pool.query(sql, params));
    } finally {
      await pool.end();
    }
  };

  try {
    // --- the reference: the same pipeline, nothing disturbed ---
    const referenceDir = path.join(workDir, 'reference');
    dataDirs.push(referenceDir);
    const referenceEnv = envFor(referenceDir, glUrl);
    say('reference run: pipeline migrate, pipeline run (undisturbed, straight to the GL service)');
    await mustSucceed(referenceDir, referenceEnv, ['migrate']);
    const referenceRun = await mustSucceed(referenceDir, referenceEnv, ['run']);
    const referenceStatus = /run \d+ \(run:[^)]*\): (\w+)/.exec(referenceRun.stdout())?.[1] ?? '?';
    const reference = await fingerprint(referenceDir);
    const referenceLines = Number(reference.tables['raw.gl_lines']?.rows ?? 0);
    await stopEmbeddedPostgres(referenceDir, options.log);
    const referenceSeconds = (Date.now() - started) / 1000;
    say(
      `reference run ${referenceStatus}: ${referenceLines.toLocaleString('en-US')} GL lines, ${Object.keys(reference.tables).length} tables fingerprinted`,
    );

    // --- the chaos run ---
    const chaosStarted = Date.now();
    const chaosDir = path.join(workDir, 'chaos');
    dataDirs.push(chaosDir);
    const chaosEnv = envFor(chaosDir, proxy.url);
    say('chaos run: pipeline migrate, then pipeline run through the fault-injecting proxy');
    await mustSucceed(chaosDir, chaosEnv, ['migrate']);
    const monitor = await connect(chaosDir);
    const probe = async <T>(sql: string, pick: (rows: Array<Record<string, unknown>>) => T, fallback: T) => {
      try {
        return pick((await monitor.query(sql)).rows);
      } catch {
        return fallback; // the database is restarting: ask again
      }
    };
    const runningStep = () =>
      probe(
        `SELECT step FROM ops.pipeline_steps WHERE status = 'running' ORDER BY started_at DESC LIMIT 1`,
        (rows) => (rows[0]?.step as string | undefined) ?? null,
        null,
      );
    const dbtConnected = () =>
      probe(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'dbt%'`,
        (rows) => Number(rows[0]!.n) > 0,
        false,
      );
    const glLines = () =>
      probe(`SELECT count(*)::bigint AS n FROM raw.gl_lines`, (rows) => Number(rows[0]!.n), 0);
    const waitFor = async (what: string, run: CliRun, check: () => Promise<boolean>, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      let exited = false;
      void run.exited.then(() => (exited = true));
      while (!(await check())) {
        if (exited) throw new Error(`the orchestrator exited before ${what}:\n${run.output().slice(-4000)}`);
        if (Date.now() > deadline)
          throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
        await sleep(200);
      }
    };
    const killNow = async (run: CliRun, why: string) => {
      const step = (await runningStep()) ?? 'between steps';
      const lines = await glLines();
      run.kill('SIGKILL');
      await run.exited;
      fault(
        `SIGKILL the orchestrator (pid ${run.child.pid}, its dbt too) ${why}: step running: ${step}; ${lines.toLocaleString('en-US')} of ${referenceLines.toLocaleString('en-US')} GL lines in raw`,
      );
    };
    const restart = async () => {
      const run = await cli(chaosDir, chaosEnv, ['run']);
      say(`restart: pipeline run (pid ${run.child.pid})`);
      return run;
    };
    const stepTimeout = 600_000 * Math.max(1, options.scale);

    // 1. GL ingestion: errors and cut bodies from the service, then a kill part-way through.
    let run = await cli(chaosDir, chaosEnv, ['run']);
    say(`start: pipeline run (pid ${run.child.pid})`);
    await waitFor('the GL ingestion', run, async () => (await runningStep()) === 'ingest-gl', stepTimeout);
    await sleep(rng.between(300, 1500));
    // Within the loader's retry budget (8 retries, backoff from 0.5 s): at most 5 failed attempts
    // fit in 5 s of errors, and 2 cut bodies make 7; more would be a test of the budget, not of recovery.
    const errorSeconds = rng.between(2.5, 5);
    proxy.always(GL_PATH, { kind: 'status', status: 503 });
    fault(`the GL service answers 503 to every ${GL_PATH}* request for ${errorSeconds.toFixed(1)}s`);
    await sleep(errorSeconds * 1000);
    proxy.always(GL_PATH, undefined);
    const cuts = [1, 2].map(() => rng.int(20_000, 400_000));
    proxy.inject(GL_PATH, ...cuts.map((afterBytes) => ({ kind: 'truncate' as const, afterBytes })));
    fault(
      `the next ${cuts.length} GL responses drop their connection mid-body (after ${cuts.map((b) => `${Math.round(b / 1000)} kB`).join(', ')})`,
    );
    const killAt = Math.round(referenceLines * rng.between(0.3, 0.7));
    await waitFor(
      `${killAt} GL lines in raw`,
      run,
      async () => (await glLines()) >= killAt || (await runningStep()) !== 'ingest-gl',
      stepTimeout,
    );
    await killNow(run, 'during the GL ingestion');

    // 2. dbt: a kill part-way through the build.
    run = await restart();
    await waitFor('dbt connected', run, dbtConnected, stepTimeout);
    await sleep(rng.between(2000, 20_000));
    await killNow(run, 'during dbt');

    // 3. the database restarts under a running orchestrator, while dbt builds again.
    run = await restart();
    await waitFor('dbt connected', run, dbtConnected, stepTimeout);
    await sleep(rng.between(1000, 10_000));
    const downSeconds = rng.between(1, 3);
    await stopEmbeddedPostgres(chaosDir, options.log);
    fault('the database stops (pg_ctl stop -m fast: every session ended) while dbt runs');
    await sleep(downSeconds * 1000);
    await ensureEmbeddedPostgres(chaosDir, options.log);
    say(`the database is back after ${downSeconds.toFixed(1)}s (pg_ctl start)`);

    // 4. the checks or the reports: a kill there too. An orchestrator that gave up after the
    // restart is started again first, so every run of the plan applies the same faults.
    const target = rng.pick(['check', 'report'] as const);
    const untilTarget = async (candidate: CliRun): Promise<number | null | undefined> => {
      let exited: number | null | undefined;
      void candidate.exited.then((code) => (exited = code));
      while (exited === undefined && (await runningStep()) !== target) await sleep(100);
      return exited;
    };
    const exitedEarly = await untilTarget(run);
    if (exitedEarly !== undefined) {
      say(
        `the orchestrator exited with ${exitedEarly} after the database restart (before the ${target} step)`,
      );
      run = await restart();
    }
    if (exitedEarly === undefined || (await untilTarget(run)) === undefined) {
      await sleep(rng.between(0, target === 'check' ? 1000 : 2500));
      await killNow(run, `during the ${target === 'check' ? 'checks' : 'reports'}`);
    } else {
      say(`the orchestrator exited again before the ${target} step`);
    }

    // 5. the same command until the run is finished; DBOS recovery does the resuming.
    let finished: CliRun | undefined;
    for (let attempt = 1; attempt <= 3 && !finished; attempt++) {
      run = await restart();
      const code = await run.exited;
      if (code === 0) finished = run;
      else say(`pipeline run exited with ${code}: ${run.output().trim().split('\n').slice(-1)[0] ?? ''}`);
    }
    if (!finished) throw new Error('pipeline run did not finish after the faults (three restarts)');
    const resumed = /resuming run ([^,]+),/.exec(finished.output())?.[1];
    const chaosStatus = /run \d+ \(run:[^)]*\): (\w+)/.exec(finished.stdout())?.[1] ?? '?';
    const { rows: runs } = await monitor.query(
      `SELECT run_id::int, status, recovery_attempts FROM ops.pipeline_runs ORDER BY run_id`,
    );
    const { rows: steps } = await monitor.query(
      `SELECT step, status, executions FROM ops.pipeline_steps WHERE run_id = $1 ORDER BY position`,
      [runs[runs.length - 1]?.run_id],
    );
    await monitor.end();
    const byKind = new Map<string, number>();
    for (const a of proxy.applied) byKind.set(a.fault, (byKind.get(a.fault) ?? 0) + 1);
    say(
      `recovered: ${runs.length} run record(s); the last ${chaosStatus} (reference: ${referenceStatus})` +
        (resumed ? `, resumed as ${resumed}` : '') +
        `; recovery attempts ${runs.map((r) => r.recovery_attempts).join(', ')}`,
    );
    say(`         step executions: ${steps.map((s) => `${s.step} ${s.status} x${s.executions}`).join(', ')}`);
    say(
      `         the proxy applied ${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ') || 'no faults'} to ${proxy.requests.length} requests; the loader retried each`,
    );
    const chaos = await fingerprint(chaosDir);
    const differences = diffFingerprints(reference, chaos);
    keep ||= differences.length > 0;
    if (runs.length !== 1)
      differences.push(`${runs.length} run records: the interrupted run was not resumed`);
    if (chaosStatus !== referenceStatus)
      differences.push(`run status: reference ${referenceStatus}, chaos ${chaosStatus}`);
    const chaosSeconds = (Date.now() - chaosStarted) / 1000;
    const total = (Date.now() - started) / 1000;
    if (differences.length === 0) {
      print(
        `PASS: raw and every mart equal the undisturbed run (${Object.keys(chaos.tables).length} tables: counts and numeric sums; GL fact checksum ${chaos.glFact})`,
      );
    } else {
      print(`FAIL: ${differences.length} difference(s) from the undisturbed run`);
      for (const d of differences) print(`  ${d}`);
    }
    print(
      `time: reference ${referenceSeconds.toFixed(0)}s, chaos ${chaosSeconds.toFixed(0)}s, total ${total.toFixed(0)}s (seed ${options.seed}, scale ${options.scale}x)`,
    );
    return {
      passed: differences.length === 0,
      differences,
      faults,
      seconds: { reference: referenceSeconds, chaos: chaosSeconds, total },
    };
  } catch (error) {
    keep = true;
    throw error;
  } finally {
    for (const run of live) run.kill('SIGKILL');
    await proxy.close();
    await eia.close();
    await gl.close();
    for (const dir of dataDirs) await stopEmbeddedPostgres(dir, options.log).catch(() => undefined);
    if (keep)
      print(
        `kept for inspection: ${path.relative(PROJECT_ROOT, workDir)} (each CLI run's output in cli-*.log)`,
      );
    else {
      for (const dir of dataDirs) await destroyEmbeddedPostgres(dir, options.log).catch(() => undefined);
      await rm(workDir, { recursive: true, force: true });
    }
  }
}
