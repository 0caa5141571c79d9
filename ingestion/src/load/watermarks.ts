/**
 * Progress markers in ops: the watermark of each (source, key) — the GL lines' last complete
 * posting date, each EIA series' last period — and the live stream's cursor. Values of one key
 * order as text (ISO dates and EIA periods do), and a watermark never moves back. Writes belong
 * inside the transaction of the batch that earned them, so marker and data commit together.
 */
import type pg from 'pg';
import type { Source } from './batches.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** The GL lines' watermark and the GL stream's cursor name. */
export const GL_LINES_WATERMARK = { source: 'gl', key: 'lines' } as const;
export const GL_STREAM = 'gl';

export async function readWatermark(db: Queryable, source: Source, key: string): Promise<string | undefined> {
  const { rows } = await db.query<{ value: string }>(
    `SELECT value FROM ops.watermarks WHERE source = $1 AND key = $2`,
    [source, key],
  );
  return rows[0]?.value;
}

/** Moves the watermark to `value` unless it is already past it (an equal value refreshes batch and time). */
export async function advanceWatermark(
  db: Queryable,
  source: Source,
  key: string,
  value: string,
  batchId: number,
): Promise<void> {
  await db.query(
    `INSERT INTO ops.watermarks (source, key, value, batch_id, updated_at) VALUES ($1, $2, $3, $4, clock_timestamp())
     ON CONFLICT (source, key) DO UPDATE
        SET value = EXCLUDED.value, batch_id = EXCLUDED.batch_id, updated_at = EXCLUDED.updated_at
      WHERE ops.watermarks.value <= EXCLUDED.value`,
    [source, key, value, batchId],
  );
}

export async function readStreamCursor(db: Queryable, stream: string): Promise<string | undefined> {
  const { rows } = await db.query<{ last_event_id: string }>(
    `SELECT last_event_id FROM ops.stream_cursors WHERE stream = $1`,
    [stream],
  );
  return rows[0]?.last_event_id;
}

/** Stores the last event id whose lines are committed. */
export async function storeStreamCursor(
  db: Queryable,
  stream: string,
  eventId: string,
  batchId: number,
): Promise<void> {
  await db.query(
    `INSERT INTO ops.stream_cursors (stream, last_event_id, batch_id) VALUES ($1, $2, $3)
     ON CONFLICT (stream) DO UPDATE
        SET last_event_id = EXCLUDED.last_event_id, batch_id = EXCLUDED.batch_id, updated_at = clock_timestamp()`,
    [stream, eventId, batchId],
  );
}
