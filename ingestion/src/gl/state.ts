/** The GL client's progress markers: the backfill watermark and the stream cursor (ops schema). */
import type pg from 'pg';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export const WATERMARK = { source: 'gl', key: 'lines' } as const;
export const STREAM = 'gl';

/** Last fully loaded posting date, or undefined before the first load. */
export async function readWatermark(db: Queryable): Promise<string | undefined> {
  const { rows } = await db.query<{ value: string }>(
    `SELECT value FROM ops.watermarks WHERE source = $1 AND key = $2`,
    [WATERMARK.source, WATERMARK.key],
  );
  return rows[0]?.value;
}

/** Moves the watermark forward (never back); call inside the batch's transaction. */
export async function advanceWatermark(db: Queryable, date: string, batchId: number): Promise<void> {
  await db.query(
    `INSERT INTO ops.watermarks (source, key, value, batch_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (source, key) DO UPDATE
        SET value = EXCLUDED.value, batch_id = EXCLUDED.batch_id, updated_at = clock_timestamp()
      WHERE ops.watermarks.value < EXCLUDED.value`,
    [WATERMARK.source, WATERMARK.key, date, batchId],
  );
}

export async function readStreamCursor(db: Queryable): Promise<string | undefined> {
  const { rows } = await db.query<{ last_event_id: string }>(
    `SELECT last_event_id FROM ops.stream_cursors WHERE stream = $1`,
    [STREAM],
  );
  return rows[0]?.last_event_id;
}

/** Stores the last event id whose lines are committed; call inside the batch's transaction. */
export async function storeStreamCursor(db: Queryable, eventId: string, batchId: number): Promise<void> {
  await db.query(
    `INSERT INTO ops.stream_cursors (stream, last_event_id, batch_id) VALUES ($1, $2, $3)
     ON CONFLICT (stream) DO UPDATE
        SET last_event_id = EXCLUDED.last_event_id, batch_id = EXCLUDED.batch_id, updated_at = clock_timestamp()`,
    [STREAM, eventId, batchId],
  );
}
