/**
 * Every load is a batch in ops.ingestion_batches. The batch row is committed first (status
 * `running`), the data and the batch's final counts are committed together in one transaction,
 * so a crash leaves a `running` batch and no rows, never rows without a finished batch. The next
 * load that takes the entity's lock (./lock.ts) closes such a batch with the status `abandoned`.
 */
import type pg from 'pg';

export type Source = 'eia' | 'gl';

export interface BatchCounts {
  received: number;
  inserted: number;
  unchanged: number;
  revised: number;
  quarantined: number;
}

export const emptyCounts = (): BatchCounts => ({
  received: 0,
  inserted: 0,
  unchanged: 0,
  revised: 0,
  quarantined: 0,
});

export function addCounts(total: BatchCounts, more: BatchCounts): BatchCounts {
  return {
    received: total.received + more.received,
    inserted: total.inserted + more.inserted,
    unchanged: total.unchanged + more.unchanged,
    revised: total.revised + more.revised,
    quarantined: total.quarantined + more.quarantined,
  };
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** Opens a batch: committed `running` at once, so a crash leaves a trace the next load closes. */
export async function startBatch(
  db: Queryable,
  source: Source,
  entity: string,
  params: object = {},
): Promise<number> {
  const { rows } = await db.query<{ batch_id: string }>(
    `INSERT INTO ops.ingestion_batches (source, entity, params) VALUES ($1, $2, $3) RETURNING batch_id`,
    [source, entity, JSON.stringify(params)],
  );
  return Number(rows[0]!.batch_id);
}

/** Marks the batch succeeded; call inside the transaction that wrote its rows. */
export async function finishBatch(
  db: Queryable,
  batchId: number,
  counts: BatchCounts,
  warnings: string[] = [],
): Promise<void> {
  await db.query(
    `UPDATE ops.ingestion_batches
        SET status = 'succeeded', finished_at = clock_timestamp(),
            rows_received = $2, rows_inserted = $3, rows_unchanged = $4, rows_revised = $5,
            rows_quarantined = $6, warnings = $7
      WHERE batch_id = $1`,
    [
      batchId,
      counts.received,
      counts.inserted,
      counts.unchanged,
      counts.revised,
      counts.quarantined,
      JSON.stringify(warnings),
    ],
  );
}

/** Marks a batch that could not commit failed, with the reason; a batch already closed is left alone. */
export async function failBatch(db: Queryable, batchId: number, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await db.query(
    `UPDATE ops.ingestion_batches SET status = 'failed', finished_at = clock_timestamp(), error = $2
      WHERE batch_id = $1 AND status = 'running'`,
    [batchId, message.slice(0, 4000)],
  );
}
