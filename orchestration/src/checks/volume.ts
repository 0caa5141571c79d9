/**
 * Volume checks (warnings): a load far larger or smaller than the recent ones of the same feed,
 * and records quarantined since the previous check.
 */
import type pg from 'pg';
import type { CheckResult } from './result.ts';

type Db = Pick<pg.Pool, 'query'>;

/** A batch outside [avg / FACTOR, avg × FACTOR] of the previous ones is an anomaly. */
export const ANOMALY_FACTOR = 5;
const HISTORY = 10;

export async function rowCountAnomalies(db: Db): Promise<CheckResult[]> {
  const { rows } = await db.query<{
    source: string;
    entity: string;
    latest: number;
    average: number | null;
    history: number;
  }>(
    `WITH ranked AS (
       SELECT source, entity, rows_received,
              row_number() OVER (PARTITION BY source, entity ORDER BY batch_id DESC) AS n
         FROM ops.ingestion_batches
        WHERE status = 'succeeded' AND entity <> 'stream' AND rows_received > 0
     )
     SELECT source, entity,
            max(rows_received) FILTER (WHERE n = 1) AS latest,
            avg(rows_received) FILTER (WHERE n > 1)::float8 AS average,
            count(*) FILTER (WHERE n > 1)::int AS history
       FROM ranked WHERE n <= $1 + 1
      GROUP BY source, entity ORDER BY source, entity`,
    [HISTORY],
  );
  return rows
    .filter((r) => r.history >= 3 && r.average)
    .map((r) => {
      const ratio = r.latest / r.average!;
      const normal = ratio <= ANOMALY_FACTOR && ratio >= 1 / ANOMALY_FACTOR;
      return {
        name: `volume:${r.source}.${r.entity}`,
        severity: 'warn',
        status: normal ? 'pass' : 'fail',
        observed: r.latest,
        threshold: Math.round(r.average!),
        details: {
          message: `latest load ${r.latest} rows, ${ratio.toFixed(2)}× the average of the previous ${r.history}`,
          ratio: Number(ratio.toFixed(3)),
        },
      } satisfies CheckResult;
    });
}

export async function quarantineGrowth(db: Db): Promise<CheckResult> {
  const { rows } = await db.query<{ added: number; since: Date | null }>(
    `WITH last_check AS (
       SELECT max(checked_at) AS since FROM ops.dq_results WHERE check_name = 'quarantine:growth'
     )
     SELECT count(q.quarantine_id)::int AS added, (SELECT since FROM last_check) AS since
       FROM ops.quarantine q
      WHERE q.quarantined_at > coalesce((SELECT since FROM last_check), '-infinity')`,
  );
  const { added, since } = rows[0]!;
  return {
    name: 'quarantine:growth',
    severity: 'warn',
    status: added === 0 ? 'pass' : 'fail',
    observed: added,
    threshold: 0,
    details: {
      message: `${added} record(s) quarantined since ${since ? since.toISOString() : 'the start'}`,
      since: since?.toISOString() ?? null,
    },
  };
}
