import type pg from 'pg';
import type { Source } from './batches.ts';

export interface QuarantinedRecord {
  recordKey: string | null;
  reason: string;
  /** The record when it parsed as JSON. */
  payload?: unknown;
  /** The record as received when it did not. */
  text?: string;
}

/** Stores rejected records with their reason; call inside the batch's transaction. */
export async function quarantine(
  db: Pick<pg.PoolClient, 'query'>,
  batchId: number,
  source: Source,
  entity: string,
  records: QuarantinedRecord[],
): Promise<void> {
  if (records.length === 0) return;
  await db.query(
    `INSERT INTO ops.quarantine (batch_id, source, entity, record_key, reason, payload, payload_text)
     SELECT $1, $2, $3, r.key, r.reason, r.payload, r.text
       FROM unnest($4::text[], $5::text[], $6::jsonb[], $7::text[]) AS r(key, reason, payload, text)`,
    [
      batchId,
      source,
      entity,
      records.map((r) => r.recordKey),
      records.map((r) => r.reason),
      records.map((r) => (r.payload === undefined ? null : JSON.stringify(r.payload))),
      records.map((r) => r.text ?? null),
    ],
  );
}
