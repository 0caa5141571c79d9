/** Check results into ops.dq_results (the data-quality mart reads them), one insert per run. */
import type pg from 'pg';
import type { CheckResult } from './result.ts';

export async function storeResults(
  db: Pick<pg.Pool, 'query'>,
  runId: number | undefined,
  results: CheckResult[],
): Promise<void> {
  if (!results.length) return;
  await db.query(
    `INSERT INTO ops.dq_results (run_id, check_name, severity, status, observed, threshold, details)
     SELECT $1, r.name, r.severity, r.status, r.observed, r.threshold, r.details
       FROM jsonb_to_recordset($2::jsonb)
         AS r(name text, severity text, status text, observed numeric, threshold numeric, details jsonb)`,
    [
      runId ?? null,
      JSON.stringify(
        results.map((r) => ({ ...r, observed: r.observed ?? null, threshold: r.threshold ?? null })),
      ),
    ],
  );
}
