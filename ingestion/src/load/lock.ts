/**
 * One loader at a time per (source, entity): a session advisory lock held on a connection of
 * its own for the whole load.
 *
 * Taking the lock also closes the entity's batches still `running`: they belong to a process
 * that died (or lost its database) before committing, and get the status `abandoned` with the
 * reason in `error` (ADR 27). If the lock's connection is lost while the load runs, the lock is
 * taken again (./session-lock.ts); should another loader have taken it meanwhile, the load is
 * stopped through its signal with a LockLostError. The data stays exactly-once either way: every
 * chunk commits with its watermark.
 */
import type pg from 'pg';
import type { Logger } from '../../../core/logger.ts';
import type { Source } from './batches.ts';
import { IngestError, LockLostError } from './errors.ts';
import { takeSessionLock } from './session-lock.ts';

export const ABANDONED_REASON = 'abandoned: the loading process ended before the batch committed';

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
  const lost = new AbortController();
  const lock = await takeSessionLock({
    key: `ingest:${source}:${entity}`,
    label: `ingest lock ${source}:${entity}`,
    connect: async () => {
      const client = await pool.connect();
      return { client, close: (error) => client.release(error) };
    },
    takenMessage: `the ${source} ${entity} lock was taken by another loader`,
    onLost: (message) => lost.abort(new LockLostError(message)),
    log: log?.child({ source, entity }),
  });
  if (!lock) throw new IngestError(`another ${source} load of ${entity} is running; try again when it ends`);
  try {
    const abandoned = await abandonStaleBatches(pool, source, entity);
    if (abandoned > 0) log?.warn({ source, entity, abandoned }, `closed ${abandoned} abandoned batch(es)`);
    return await fn(lost.signal);
  } finally {
    await lock.release();
  }
}
