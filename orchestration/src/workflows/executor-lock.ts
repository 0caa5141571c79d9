/**
 * One process per DBOS executor id: a session advisory lock (its key from ./runtime.ts) held on a
 * connection of its own for the life of the process. Two processes with the same executor id
 * would both recover the same workflow and run its steps twice.
 *
 * It is the ingest lock's session lock (../../../ingestion/src/load/session-lock.ts): taken again
 * when its connection is lost; if another process took it meanwhile, `onLost` gets an
 * ExecutorLockLostError and the holder must stop.
 */
import pg from 'pg';
import type { Logger } from '../../../core/logger.ts';
import { takeSessionLock, type SessionLock } from '../../../ingestion/src/load/session-lock.ts';

export const EXECUTOR_LOCK_APPLICATION = 'pipeline-executor';

/** At start: another process holds the lock. */
export class ExecutorBusyError extends Error {
  override readonly name = 'ExecutorBusyError';
}

/** While running: the lock's connection was lost and another process took the lock meanwhile. */
export class ExecutorLockLostError extends Error {
  override readonly name = 'ExecutorLockLostError';
}

export type ExecutorLock = SessionLock;

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

/** Takes the executor lock; throws ExecutorBusyError at once when another process holds it. */
export async function takeExecutorLock(url: string, options: ExecutorLockOptions): Promise<ExecutorLock> {
  const lock = await takeSessionLock({
    key: options.key,
    label: 'executor lock',
    connect: async () => {
      // keepAlive: a connection dropped without a reset (a dead host) is noticed, not held forever
      const client = new pg.Client({
        connectionString: url,
        application_name: EXECUTOR_LOCK_APPLICATION,
        keepAlive: true,
      });
      client.on('error', () => undefined); // seen through 'end' by the session lock
      try {
        await client.connect();
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      return { client, close: () => client.end().catch(() => undefined) };
    },
    takenMessage:
      'the executor lock was taken by another pipeline process while its connection was lost: ' +
      'this process stops so the two do not run the same workflow',
    onLost: (message) => options.onLost(new ExecutorLockLostError(message)),
    log: options.log,
    minDelayMs: options.minDelayMs,
    maxDelayMs: options.maxDelayMs,
  });
  if (!lock) throw new ExecutorBusyError(options.busyMessage);
  return lock;
}
