/**
 * Test support for the orchestration suites: the real GL service and EIA replay on 127.0.0.1, the
 * pipeline CLI as a child process in a process group of its own (so `kill` can take the whole
 * group, as a dying container would, or only the node process), a webhook receiver, and
 * fingerprints of the marts.
 */
import http from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/src/build.ts';
import { startCli } from '../../chaos/cli-process.ts';
import { tableFingerprints, type Fingerprint } from '../../chaos/fingerprint.ts';
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

export { startCli, type CliRun } from '../../chaos/cli-process.ts';

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

/** Per business mart: its row count and the sum of every numeric column (chaos/fingerprint.ts). */
export function martFingerprint(db: TestDatabase): Promise<Fingerprint> {
  return tableFingerprints(db.query, ['marts']);
}

/** A port free on 127.0.0.1 right now, for a child process to listen on. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
