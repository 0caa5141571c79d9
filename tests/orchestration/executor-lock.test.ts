/**
 * The executor lock across a lost connection (chaos finding, ADR 20): its backend is terminated
 * with pg_terminate_backend, as a database restart would end it.
 * - the holder takes the lock again, and a second process is still refused;
 * - if another process took the lock meanwhile, the holder is told with an ExecutorLockLostError,
 *   and `pipeline serve` exits with it (embedded project only: a child process).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  EXECUTOR_LOCK_APPLICATION,
  ExecutorBusyError,
  ExecutorLockLostError,
  takeExecutorLock,
} from '../../orchestration/src/workflows/executor-lock.ts';
import { EXECUTOR_ID, executorLockKey } from '../../orchestration/src/workflows/runtime.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { freePort, pipelineEnv, startCli, until } from './helpers.ts';

const quiet = pino({ level: 'silent' });
const KEY = executorLockKey(EXECUTOR_ID);
const options = (onLost: (error: Error) => void = () => undefined) => ({
  key: KEY,
  busyMessage: 'busy',
  log: quiet,
  onLost,
  minDelayMs: 20,
});
let db: TestDatabase;

/** The backend holding the executor lock in this database, if any. */
async function holder(): Promise<number | undefined> {
  const { rows } = await db.query<{ pid: number }>(
    `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a USING (pid)
      WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND a.application_name = $1`,
    [EXECUTOR_LOCK_APPLICATION],
  );
  return rows[0]?.pid;
}

/** Queues `thief` for the executor lock, then ends the holder's backend: the thief gets the lock. */
async function steal(thief: pg.Client, from: number): Promise<void> {
  const stolen = thief.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [KEY]);
  await until(
    'the thief to wait for the lock',
    async () =>
      (
        await db.query(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = 'executor-lock-thief' AND wait_event_type = 'Lock'`,
        )
      ).rowCount,
    10_000,
  );
  await db.query(`SELECT pg_terminate_backend($1, 5000)`, [from]);
  await stolen;
}

describe('executor lock', () => {
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('is taken again after its backend is terminated, and a second process is still refused', async () => {
    const lost: Error[] = [];
    const lock = await takeExecutorLock(
      db.url,
      options((e) => lost.push(e)),
    );
    try {
      await expect(takeExecutorLock(db.url, options())).rejects.toThrow(ExecutorBusyError);
      const first = (await holder())!;
      expect(first).toBeGreaterThan(0);
      await db.query(`SELECT pg_terminate_backend($1, 5000)`, [first]);
      await until('the lock to be taken again', async () => ((await holder()) ?? first) !== first, 10_000);
      await expect(takeExecutorLock(db.url, options())).rejects.toThrow(ExecutorBusyError);
      expect(lost).toEqual([]);
    } finally {
      await lock.release();
    }
    // released: the next process gets it
    const next = await takeExecutorLock(db.url, options());
    await next.release();
    expect(await holder()).toBeUndefined();
  });

  it('tells the holder with an ExecutorLockLostError when another process took the lock meanwhile', async () => {
    const lost: Error[] = [];
    const lock = await takeExecutorLock(
      db.url,
      options((e) => lost.push(e)),
    );
    const thief = new pg.Client({ connectionString: db.url, application_name: 'executor-lock-thief' });
    await thief.connect();
    try {
      await steal(thief, (await holder())!);
      await until('the holder to be told', async () => lost.length > 0, 10_000);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(ExecutorLockLostError);
      expect(lost[0]!.message).toMatch(/taken by another pipeline process/);
    } finally {
      await lock.release();
      await thief.end();
    }
  });
});

describe.runIf(inject('projectName') === 'embedded')('executor lock of `pipeline serve`', () => {
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'executor-lock-'));
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('re-takes the lock after its backend is terminated, and exits with ExecutorLockLostError once it is stolen', async () => {
    const port = await freePort();
    const nowhere = 'http://127.0.0.1:9';
    const serve = startCli(
      ['serve', '--no-follow'],
      pipelineEnv(
        db,
        { glUrl: nowhere, eiaUrl: nowhere, dataDir, close: async () => undefined },
        { PIPELINE_STATUS_PORT: String(port), PIPELINE_EIA_CRON: '0 6 1 1 *', GL_TRANSFORM_EVERY: '300s' },
      ),
    );
    const thief = new pg.Client({ connectionString: db.url, application_name: 'executor-lock-thief' });
    try {
      await until(
        'the status page',
        () =>
          fetch(`http://127.0.0.1:${port}/health`)
            .then((r) => r.ok)
            .catch(() => false),
        120_000,
      );
      const first = (await holder())!;
      expect(first).toBeGreaterThan(0);
      await db.query(`SELECT pg_terminate_backend($1, 5000)`, [first]);
      const second = await until(
        'serve to take the lock again',
        async () => {
          const pid = await holder();
          return pid !== undefined && pid !== first && pid;
        },
        30_000,
      );
      expect(serve.child.exitCode).toBeNull();

      await thief.connect();
      await steal(thief, second);
      const code = await Promise.race([
        serve.exited,
        new Promise<'running'>((r) => setTimeout(() => r('running'), 30_000)),
      ]);
      expect(code).toBe(1);
      expect(serve.output()).toMatch(
        /ExecutorLockLostError: the executor lock was taken by another pipeline process/,
      );
    } finally {
      serve.kill('SIGTERM');
      await serve.exited;
      await thief.end().catch(() => undefined);
    }
  }, 180_000);
});
