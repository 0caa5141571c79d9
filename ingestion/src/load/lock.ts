/**
 * One loader at a time per (source, entity): a session advisory lock held on a connection of
 * its own for the whole load.
 *
 * Taking the lock also closes the entity's batches still `running`: they belong to a process
 * that died (or lost its database) before committing, and get the status `abandoned` with the
 * reason in `error` (ADR 27). If the lock's connection is lost while the load runs (the server restarted, the
 * backend was terminated), the lock is taken again on a new connection with backoff; should
 * another loader have taken it meanwhile, the load is stopped through its signal with a
 * LockLostError. The data stays exactly-once either way: every chunk commits with its watermark.
 */
import type pg from 'pg';
import type { Logger } from '../../../core/logger.ts';
import type { Source } from './batches.ts';
import { errorMessage, IngestError, LockLostError } from './errors.ts';
import { retrying } from './retry.ts';

export const ABANDONED_REASON = 'abandoned: the loading process ended before the batch committed';

async function tryLock(pool: pg.Pool, key: string): Promise<pg.PoolClient | undefined> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`,
      [key],
    );
    if (rows[0]!.locked) return client;
    client.release();
    return undefined;
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
}

/** Closes the entity's batches a dead process left `running`; returns how many. */
export async function abandonStaleBatches(
  db: Pick<pg.Pool, 'query'>,
  source: Source,
  entity: string,
): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE ops.ingestion_batches SET status = 'abandoned', finished_at = clock_timestamp(), error = $3
      WHERE source = $1 AND entity = $2 AND status = 'running'`,
    [source, entity, ABANDONED_REASON],
  );
  return rowCount ?? 0;
}

/**
 * Runs `fn` holding the lock of (source, entity); `fn` gets a signal that aborts (with a
 * LockLostError) if the lock is lost to another loader. Throws at once when another loader holds it.
 */
export async function withIngestLock<T>(
  pool: pg.Pool,
  source: Source,
  entity: string,
  fn: (signal: AbortSignal) => Promise<T>,
  log?: Logger,
): Promise<T> {
  const key = `ingest:${source}:${entity}`;
  let client = await tryLock(pool, key);
  if (!client)
    throw new IngestError(`another ${source} load of ${entity} is running; try again when it ends`);
  const lost = new AbortController();
  const done = new AbortController();
  let reacquiring: Promise<void> | undefined;
  // The pool reuses its clients: the listener must leave with the lock, or every load adds one.
  let unwatch: (() => void) | undefined;

  const watch = (held: pg.PoolClient) => {
    const onError = (error: Error) => {
      if (client !== held || done.signal.aborted) return;
      client = undefined;
      held.release(error);
      log?.warn(
        { source, entity, err: errorMessage(error) },
        'ingest lock connection lost; taking the lock again',
      );
      reacquiring = retrying(
        async () => {
          const again = await tryLock(pool, key);
          if (!again) throw new LockLostError(`the ${source} ${entity} lock was taken by another loader`);
          if (done.signal.aborted) {
            await again
              .query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [key])
              .catch(() => undefined);
            again.release();
            return;
          }
          client = again;
          watch(again);
          log?.info({ source, entity }, 'ingest lock taken again');
        },
        {
          label: `ingest lock ${source}:${entity}`,
          policy: { retries: Infinity, minDelayMs: 200, maxDelayMs: 5_000 },
          signal: done.signal,
        },
      ).catch((error: unknown) => {
        if (!done.signal.aborted)
          lost.abort(error instanceof LockLostError ? error : new LockLostError(errorMessage(error)));
      });
    };
    held.on('error', onError);
    unwatch = () => held.off('error', onError);
  };
  watch(client);

  try {
    const abandoned = await abandonStaleBatches(client, source, entity);
    if (abandoned > 0) log?.warn({ source, entity, abandoned }, `closed ${abandoned} abandoned batch(es)`);
    return await fn(lost.signal);
  } finally {
    done.abort();
    await reacquiring;
    const held = client as pg.PoolClient | undefined;
    client = undefined;
    if (held) {
      await held.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [key]).catch(() => undefined);
      unwatch?.();
      held.release();
    }
  }
}
