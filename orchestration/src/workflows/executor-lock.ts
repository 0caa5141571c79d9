/**
 * One process per DBOS executor id: a session advisory lock (its key from ./runtime.ts) held on a
 * connection of its own for the life of the process. Two processes with the same executor id
 * would both recover the same workflow and run its steps twice.
 *
 * A session lock dies with its connection. When that connection is lost (the server restarted, the
 * backend was terminated), the holder takes the lock again on a new connection with backoff (the
 * ingestion retry engine, the same as the ingest lock's, ../../../ingestion/src/load/lock.ts); if
 * another process took it meanwhile, `onLost` gets an ExecutorLockLostError and the holder must stop.
 */
import pg from 'pg';
import type { Logger } from '../../../core/logger.ts';
import { errorMessage } from '../../../ingestion/src/load/errors.ts';
import { retrying } from '../../../ingestion/src/load/retry.ts';

export const EXECUTOR_LOCK_APPLICATION = 'pipeline-executor';

/** At start: another process holds the lock. */
export class ExecutorBusyError extends Error {
  override readonly name = 'ExecutorBusyError';
}

/** While running: the lock's connection was lost and another process took the lock meanwhile. */
export class ExecutorLockLostError extends Error {
  override readonly name = 'ExecutorLockLostError';
}

export interface ExecutorLock {
  /** Unlocks and closes the connection; stops a re-take in progress. */
  release(): Promise<void>;
}

export interface ExecutorLockOptions {
  /** The advisory lock's key (hashed with hashtextextended). */
  key: string;
  /** The ExecutorBusyError's message: what holds the lock and what to do. */
  busyMessage: string;
  log: Logger;
  /** Called once when the lock went to another process; the caller must stop executing. */
  onLost: (error: ExecutorLockLostError) => void;
  /** Backoff between re-take attempts, ms. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

async function tryLock(url: string, key: string): Promise<pg.Client | undefined> {
  // keepAlive: a connection dropped without a reset (a dead host) is noticed, not held forever
  const client = new pg.Client({
    connectionString: url,
    application_name: EXECUTOR_LOCK_APPLICATION,
    keepAlive: true,
  });
  // connection loss is seen through 'end' (every close emits it); an unheard 'error' would crash
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`,
      [key],
    );
    if (rows[0]!.locked) return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  await client.end().catch(() => undefined);
  return undefined;
}

/** Takes the executor lock; throws ExecutorBusyError at once when another process holds it. */
export async function takeExecutorLock(url: string, options: ExecutorLockOptions): Promise<ExecutorLock> {
  const { log } = options;
  const first = await tryLock(url, options.key);
  if (!first) throw new ExecutorBusyError(options.busyMessage);
  const released = new AbortController();
  let client: pg.Client | undefined;
  let retaking: Promise<void> | undefined;

  const hold = (held: pg.Client) => {
    client = held;
    held.once('end', () => {
      if (client !== held || released.signal.aborted) return;
      client = undefined;
      log.warn('executor lock connection lost; taking the lock again');
      retaking = retrying(
        async () => {
          const again = await tryLock(url, options.key);
          if (!again)
            throw new ExecutorLockLostError(
              'the executor lock was taken by another pipeline process while its connection was lost: ' +
                'this process stops so the two do not run the same workflow',
            );
          if (released.signal.aborted) return void (await again.end().catch(() => undefined));
          hold(again);
          log.info('executor lock taken again');
        },
        {
          label: 'executor lock',
          policy: {
            retries: Infinity,
            minDelayMs: options.minDelayMs ?? 200,
            maxDelayMs: options.maxDelayMs ?? 5_000,
          },
          signal: released.signal,
        },
      ).catch((error: unknown) => {
        if (released.signal.aborted) return;
        options.onLost(
          error instanceof ExecutorLockLostError ? error : new ExecutorLockLostError(errorMessage(error)),
        );
      });
    });
  };
  hold(first);

  return {
    async release() {
      released.abort();
      await retaking;
      const held = client;
      client = undefined;
      // closing the session releases its advisory lock
      await held?.end().catch(() => undefined);
    },
  };
}
