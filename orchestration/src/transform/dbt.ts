/**
 * Runs the dbt project in dbt/ as a child process (`uv run --project dbt dbt ...`) against the
 * project's database, and reads what dbt wrote: target/run_results.json, sources.json,
 * manifest.json and catalog.json.
 *
 * Connection settings reach dbt only through the environment (dbt/profiles.yml reads them with
 * env_var()): the database URL, the transformer login's (`ctx.databaseUrl('transformer')`), is
 * split into DBT_HOST/DBT_PORT/DBT_USER/DBT_PASSWORD/DBT_DBNAME. dbt itself assumes the
 * energy_transformer role (profiles.yml `role:`), so what it creates is owned by that role.
 *
 * target/ and logs/ are per invocation (--target-path, --log-path) so parallel runs, e.g. the
 * embedded and PostgreSQL 15 test projects, never write over each other.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../core/config.ts';
import type { Logger } from '../../../core/logger.ts';

export const DBT_PROJECT_DIR = path.join(PROJECT_ROOT, 'dbt');
export const DEFAULT_TARGET_PATH = path.join(DBT_PROJECT_DIR, 'target');
export const DEFAULT_LOG_PATH = path.join(DBT_PROJECT_DIR, 'logs');

/** The DBT_* variables dbt/profiles.yml reads, from a postgres:// URL. */
export function dbtConnectionEnv(databaseUrl: string): Record<string, string> {
  const url = new URL(databaseUrl);
  if (!/^postgres(ql)?:$/.test(url.protocol)) throw new Error(`not a PostgreSQL URL: ${url.protocol}`);
  const host = url.hostname || url.searchParams.get('host') || '127.0.0.1';
  const env: Record<string, string> = {
    DBT_HOST: host.replace(/^\[(.*)\]$/, '$1'),
    DBT_PORT: url.port || url.searchParams.get('port') || '5432',
    DBT_USER: decodeURIComponent(url.username) || url.searchParams.get('user') || 'postgres',
    DBT_PASSWORD: decodeURIComponent(url.password) || url.searchParams.get('password') || '',
    DBT_DBNAME: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
  };
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode) env.DBT_SSLMODE = sslmode;
  return env;
}

export interface DbtInvocation {
  databaseUrl: string;
  /** dbt sub-command and its arguments, e.g. ['build', '--select', 'marts']. */
  args: string[];
  targetPath?: string;
  logPath?: string;
  threads?: number;
  log?: Logger;
  /** Extra environment for the dbt process. */
  env?: Record<string, string>;
}

export interface DbtProcessResult {
  exitCode: number;
  output: string;
  targetPath: string;
  logPath: string;
  elapsedMs: number;
}

/** Runs one dbt command; resolves with its exit code and combined output (never rejects on a dbt failure). */
export async function runDbt(invocation: DbtInvocation): Promise<DbtProcessResult> {
  const targetPath = path.resolve(invocation.targetPath ?? DEFAULT_TARGET_PATH);
  const logPath = path.resolve(invocation.logPath ?? DEFAULT_LOG_PATH);
  await mkdir(targetPath, { recursive: true });
  await mkdir(logPath, { recursive: true });
  const args = [
    'run',
    '--project',
    DBT_PROJECT_DIR,
    '--frozen',
    '--quiet',
    'dbt',
    ...invocation.args,
    '--project-dir',
    DBT_PROJECT_DIR,
    '--profiles-dir',
    DBT_PROJECT_DIR,
    '--target-path',
    targetPath,
    '--log-path',
    logPath,
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...dbtConnectionEnv(invocation.databaseUrl),
    DBT_PROFILES_DIR: DBT_PROJECT_DIR,
    DBT_PROJECT_DIR,
    DBT_TARGET_PATH: targetPath,
    DBT_LOG_PATH: logPath,
    DBT_SEND_ANONYMOUS_USAGE_STATS: 'false',
    DBT_VERSION_CHECK: 'false',
    DO_NOT_TRACK: '1',
    DBT_USE_COLORS: 'false',
    PGTZ: 'UTC',
    ...(invocation.threads ? { DBT_THREADS: String(invocation.threads) } : {}),
    ...invocation.env,
  };
  const started = performance.now();
  invocation.log?.debug({ args: invocation.args, targetPath }, 'dbt starting');
  return new Promise((resolve, reject) => {
    const child = spawn('uv', args, { cwd: DBT_PROJECT_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) if (line.trim()) invocation.log?.debug({ dbt: line.trimEnd() });
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error('uv is not installed: `pip install uv` (then `uv sync --project dbt`)', {
              cause: error,
            })
          : error,
      );
    });
    child.on('close', (code) =>
      resolve({ exitCode: code ?? 1, output, targetPath, logPath, elapsedMs: performance.now() - started }),
    );
  });
}

export interface DbtNodeResult {
  uniqueId: string;
  resourceType: string;
  name: string;
  status: string;
  executionTime: number;
  failures: number | null;
  message: string | null;
}

export interface DbtRunSummary {
  command: string;
  elapsedTime: number;
  counts: Record<string, number>;
  nodes: DbtNodeResult[];
  /** Nodes whose status is error, fail or runtime error. */
  problems: DbtNodeResult[];
  warnings: DbtNodeResult[];
}

interface RunResultsJson {
  args?: { which?: string };
  elapsed_time?: number;
  results: Array<{
    unique_id: string;
    status: string;
    execution_time?: number;
    failures?: number | null;
    message?: string | null;
  }>;
}

/** Summarises a run_results.json (dbt build, run, test, seed, ...) or sources.json (freshness). */
export function summarizeRunResults(json: RunResultsJson): DbtRunSummary {
  const nodes = json.results.map((result) => {
    const parts = result.unique_id.split('.');
    return {
      uniqueId: result.unique_id,
      resourceType: parts[0] ?? 'unknown',
      name: parts.slice(2).join('.'),
      status: result.status,
      executionTime: result.execution_time ?? 0,
      failures: result.failures ?? null,
      message: result.message ?? null,
    };
  });
  const counts: Record<string, number> = {};
  for (const node of nodes) counts[node.status] = (counts[node.status] ?? 0) + 1;
  return {
    command: json.args?.which ?? 'unknown',
    elapsedTime: json.elapsed_time ?? 0,
    counts,
    nodes,
    problems: nodes.filter((n) => ['error', 'fail', 'runtime error'].includes(n.status)),
    warnings: nodes.filter((n) => n.status === 'warn'),
  };
}

export async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

export async function readRunResults(targetPath: string): Promise<DbtRunSummary> {
  return summarizeRunResults(await readJson<RunResultsJson>(path.join(targetPath, 'run_results.json')));
}

/** dbt source freshness writes sources.json; its results use the same status vocabulary plus pass/warn/error. */
export async function readFreshness(targetPath: string): Promise<DbtRunSummary> {
  const json = await readJson<{ elapsed_time?: number; results: RunResultsJson['results'] }>(
    path.join(targetPath, 'sources.json'),
  );
  return summarizeRunResults({ args: { which: 'source freshness' }, ...json });
}
