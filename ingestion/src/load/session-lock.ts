/**
 * A session advisory lock held on a connection of its own, kept through a lost connection. The
 * ingest lock (./lock.ts) and the pipeline's executor lock
 * (orchestration/src/workflows/executor-lock.ts) are both this one lock.
 *
 * A session lock dies with its connection. When that connection ends (the server restarted, the
 * backend was terminated), the lock is taken again on a new connection with backoff (the retry
 * engine, ./retry.ts); if another process took it meanwhile, `onLost` is told once and the holder
 * must stop, so two holders never run side by side.
 */
import type pg from 'pg';
import type { Logger } from '../../../core/logger.ts';
import { errorMessage, LockLostError } from './errors.ts';
import { retrying } from './retry.ts';

/** A connection for the lock, and how to give it back (end it, or release it to its pool). */
export interface LockConnection {
  client: pg.ClientBase;
  close(error?: Error): Promise<void> | void;
}

export interface SessionLockOptions {
  /** The lock's key, hashed with hashtextextended. */
  key: string;
  /** What the lock is, for logs: 'ingest lock gl:lines', 'executor lock'. */
  label: string;
  connect: () => Promise<LockConnection>;
  /** Told once, with `takenMessage` or why re-taking failed, when the lock is gone for good. */
  onLost: (message: string) => void;
  /** The message when another process holds the lock at the re-take. */
  takenMessage: string;
  log?: Logger;
  /** Backoff between re-take attempts, ms. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export interface SessionLock {
  /** Unlocks and gives the connection back; stops a re-take in progress. */
  release(): Promise<void>;
}

const LOCK = `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`;
const UNLOCK = `SELECT pg_advisory_unlock(hashtextextended($1, 0))`;

async function tryLock(options: SessionLockOptions): Promise<LockConnection | undefined> {
  const connection = await options.connect();
  try {
    const { rows } = await connection.client.query<{ locked: boolean }>(LOCK, [options.key]);
    if (rows[0]!.locked) return connection;
  } catch (error) {
    await connection.close(error as Error);
    throw error;
  }
  await connection.close();
  return undefined;
}

/** Takes the lock; undefined when another process holds it. */
export async function takeSessionLock(options: SessionLockOptions): Promise<SessionLock | undefined> {
  const { log, label } = options;
  const first = await tryLock(options);
  if (!first) return undefined;
  const released = new AbortController();
  let current: LockConnection | undefined;
  let retaking: Promise<void> | undefined;
  // pool clients are reused: the listeners leave with the lock, or every hold adds two
  let unwatch = () => undefined as void;

  const hold = (held: LockConnection) => {
    current = held;
    // connection loss is seen through 'end' (every close emits it); an unheard 'error' would crash
    const onError = () => undefined;
    const onEnd = () => {
      if (current !== held || released.signal.aborted) return;
      current = undefined;
      unwatch();
      void held.close(new Error(`${label} connection lost`));
      log?.warn(`${label}: connection lost; taking the lock again`);
      retaking = retrying(
        async () => {
          const again = await tryLock(options);
          if (!again) throw new LockLostError(options.takenMessage);
          if (released.signal.aborted) {
            await again.client.query(UNLOCK, [options.key]).catch(() => undefined);
            return void (await again.close());
          }
          hold(again);
          log?.info(`${label}: taken again`);
        },
        {
          label,
          policy: {
            retries: Infinity,
            minDelayMs: options.minDelayMs ?? 200,
            maxDelayMs: options.maxDelayMs ?? 5_000,
          },
          signal: released.signal,
        },
      ).catch((error: unknown) => {
        if (!released.signal.aborted) options.onLost(errorMessage(error));
      });
    };
    held.client.on('error', onError);
    held.client.once('end', onEnd);
    unwatch = () => {
      held.client.off('error', onError);
      held.client.off('end', onEnd);
    };
  };
  hold(first);

  return {
    async release() {
      released.abort();
      await retaking;
      const held = current;
      current = undefined;
      if (!held) return;
      await held.client.query(UNLOCK, [options.key]).catch(() => undefined);
      unwatch();
      await held.close();
    },
  };
}
