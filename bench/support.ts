/**
 * What the benchmarks share: their flags, the GL service started in a child process, and the
 * `psql \copy` baseline (an identical partitioned table to load the same rows into).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../core/config.ts';
import { withDatabase } from '../database/src/connection.ts';

/** The value after `--name` on the command line. */
export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The GL service on a free 127.0.0.1 port, healthy, started as users start it (api/start.mjs, a
 * bundle on plain node). Its first line execs node, so /proc/<pid> of the returned process is the
 * server's.
 */
export async function startGlService(options: {
  wells: number | string;
  asOf: string;
  stdout?: 'inherit' | 'ignore';
  /** More settings for the service (GL_API_THREADS, GL_API_CACHE_MB, ...). */
  env?: Record<string, string>;
}): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port = await freePort();
  const child = spawn(path.join(PROJECT_ROOT, 'api/start.mjs'), [], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      GL_API_PORT: String(port),
      GL_API_HOST: '127.0.0.1',
      GL_WELLS: String(options.wells),
      GL_AS_OF: options.asOf,
      GL_API_TOKEN: '',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', options.stdout ?? 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the GL service exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return { child, baseUrl };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error('the GL service did not become healthy within 60 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Peak resident memory (VmHWM) of a running process, in MB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

/** Stops a child process and waits until it is gone. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Runs a command to completion and returns its stdout; a non-zero exit throws with its stderr. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0)
    throw new Error(`${command} ${args[0]} failed: ${result.stderr || result.error?.message}`);
  return result.stdout;
}

/** One psql command (or \copy) against `url`, stopping at the first error; returns its output. */
export const psql = (url: string, command: string): string =>
  run('psql', [url, '-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', '-c', command]);

/**
 * The `psql \copy` baseline: bench.gl_lines, created with raw.gl_lines' columns, indexes and
 * monthly partitions (dropped first if present), then `file` COPYed into it by psql. Returns the
 * rows loaded and the seconds the \copy took (only the copy is timed).
 */
export async function psqlCopyBaseline(
  url: string,
  file: string,
): Promise<{ rows: number; seconds: number }> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query(`DROP SCHEMA IF EXISTS bench CASCADE`);
    await db.query(`CREATE SCHEMA bench`);
    await db.query(
      `CREATE TABLE bench.gl_lines (LIKE raw.gl_lines INCLUDING ALL) PARTITION BY RANGE (posting_date)`,
    );
    const { rows: parts } = await db.query<{ name: string; bound: string }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'raw.gl_lines'::regclass`,
    );
    for (const part of parts)
      await db.query(
        `CREATE TABLE bench.${pg.escapeIdentifier(part.name)} PARTITION OF bench.gl_lines ${part.bound}`,
      );
    await db.query('CHECKPOINT').catch(() => undefined);
  } finally {
    await db.end();
  }
  const started = performance.now();
  psql(url, `\\copy bench.gl_lines FROM '${file}'`);
  const seconds = (performance.now() - started) / 1000;
  return { rows: Number(psql(url, 'SELECT count(*) FROM bench.gl_lines').trim()), seconds };
}

/** The p-th percentile (nearest rank) of ascending values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** A fresh, empty scratch database `name` on the server of `adminUrl`; returns its URL. */
export async function createScratchDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  return withDatabase(adminUrl, name);
}

/** Drops a scratch database, ending its connections; never throws (cleanup). */
export async function dropScratchDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } catch {
    // best effort: a leftover scratch database is dropped by the next run
  } finally {
    await admin.end().catch(() => undefined);
  }
}
