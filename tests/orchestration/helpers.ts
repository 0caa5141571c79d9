/**
 * Test support for the orchestration suites: the real GL service and EIA replay on 127.0.0.1, the
 * pipeline CLI as a child process in a process group of its own (so `kill` can take the whole
 * group, as a dying container would, or only the node process), a webhook receiver, and
 * fingerprints of the marts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/src/build.ts';
import { PROJECT_ROOT } from '../../core/config.ts';
import { startEiaReplayServer, type EiaReplayServer } from '../../ingestion/src/eia/index.ts';
import type { TestDatabase } from '../helpers/database.ts';

export const AS_OF = '2024-01-31';
export const EIA_DIR = path.resolve(PROJECT_ROOT, '../shared/data/eia');

export interface Services {
  glUrl: string;
  eiaUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startServices(
  options: { wells?: number; streamIntervalS?: number } = {},
): Promise<Services> {
  const gl: FastifyInstance = await buildServer({
    seed: 42,
    wells: options.wells ?? 4,
    asOf: AS_OF,
    streamIntervalS: options.streamIntervalS ?? 600,
    rateLimitMax: 100_000,
  });
  await gl.listen({ port: 0, host: '127.0.0.1' });
  const replay: EiaReplayServer = await startEiaReplayServer({
    dir: EIA_DIR,
    port: 0,
    host: '127.0.0.1',
    requireApiKey: false,
  });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'orch-test-'));
  return {
    glUrl: `http://127.0.0.1:${(gl.server.address() as AddressInfo).port}`,
    eiaUrl: replay.baseUrl,
    dataDir,
    async close() {
      await gl.close();
      await replay.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function pipelineEnv(
  db: TestDatabase,
  services: Services,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: db.url,
    GL_API_URL: services.glUrl,
    GL_AS_OF: AS_OF,
    EIA_BASE_URL: services.eiaUrl,
    EIA_API_KEY: '',
    EIA_REPLAY_DIR: '',
    ALERT_WEBHOOK_URL: '',
    // each database gets its own data dir: the dbt target directories are per run id
    PIPELINE_DATA_DIR: path.join(services.dataDir, db.name),
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    ...extra,
  };
}

export interface CliRun {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  stdout(): string;
  /** Signals the whole process group (the CLI and its dbt child). */
  kill(signal: NodeJS.Signals): void;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv): CliRun {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'orchestration/src/cli.ts'), ...args],
    {
      cwd: PROJECT_ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => output,
    stdout: () => stdout,
    kill(signal) {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    },
  };
}

export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string; stdout: string }> {
  const run = startCli(args, env);
  const code = await run.exited;
  return { code, output: run.output(), stdout: run.stdout() };
}

/** Living (not zombie) processes whose parent is `pid`, with their command lines (Linux /proc). */
export async function childProcesses(pid: number): Promise<Array<{ pid: number; command: string }>> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid ...: comm may hold spaces, so split after its closing parenthesis
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(ppid) !== pid || state === 'Z') continue;
    const command = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    found.push({ pid: Number(entry), command: command.split('\0').join(' ').trim() });
  }
  return found;
}

/** True while `pid` is a living process (a zombie waiting to be reaped counts as dead). */
export async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 300_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface Webhook {
  url: string;
  received: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startWebhook(): Promise<Webhook> {
  const received: Array<Record<string, unknown>> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T000/B000/secret-token`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Marts built from ops (batches, freshness, checks) differ between any two runs by design. */
const RUN_DEPENDENT = new Set(['fct_ingestion_batches', 'fct_source_freshness', 'fct_data_quality_checks']);

/** Per business mart: its row count and the sum of every numeric column (ids of batches excluded). */
export async function martFingerprint(db: TestDatabase): Promise<Record<string, Record<string, string>>> {
  const { rows: columns } = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'marts' AND data_type IN ('numeric', 'integer', 'bigint', 'double precision', 'real')
        AND column_name NOT LIKE '%batch_id%'
      ORDER BY table_name, column_name`,
  );
  const { rows: tables } = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const result: Record<string, Record<string, string>> = {};
  for (const { table_name: table } of tables) {
    if (RUN_DEPENDENT.has(table)) continue;
    const sums = columns
      .filter((c) => c.table_name === table)
      .map((c) => `sum(${c.column_name})::text AS "${c.column_name}"`);
    const { rows } = await db.query(
      `SELECT count(*)::text AS "rows"${sums.length ? `, ${sums.join(', ')}` : ''} FROM marts.${table}`,
    );
    result[table] = rows[0] as Record<string, string>;
  }
  return result;
}
