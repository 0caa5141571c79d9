/**
 * Loads that died (a warning): batches closed as `abandoned` since the previous check. Nothing of
 * them reached raw and the next load redid their work (ADR 27), so the data is whole; what the
 * warning tells is that a loader was killed or lost its database, which someone should know.
 */
import type pg from 'pg';
import type { CheckResult } from './result.ts';

type Db = Pick<pg.Pool, 'query'>;

const NAME = 'ingestion:abandoned_batches';

export async function abandonedBatches(db: Db): Promise<CheckResult> {
  const { rows } = await db.query<{ n: number; since: Date | null; latest: string[] | null }>(
    `WITH since AS (SELECT max(checked_at) AS at FROM ops.dq_results WHERE check_name = $1)
     SELECT count(*)::int AS n, (SELECT at FROM since) AS since,
            (array_agg(source || '.' || entity || ' #' || batch_id ORDER BY batch_id DESC))[1:5] AS latest
       FROM ops.ingestion_batches
      WHERE status = 'abandoned' AND finished_at > coalesce((SELECT at FROM since), '-infinity')`,
    [NAME],
  );
  const { n, since, latest } = rows[0]!;
  return {
    name: NAME,
    severity: 'warn',
    status: n === 0 ? 'pass' : 'fail',
    observed: n,
    threshold: 0,
    details: {
      message:
        n === 0
          ? 'no load was abandoned since the previous check'
          : `${n} batch(es) abandoned by a loading process that died (their work was redone by the next load)`,
      since: since?.toISOString() ?? null,
      batches: latest ?? [],
    },
  };
}
