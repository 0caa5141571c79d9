/**
 * Freshness of each dataset against its target (warnings: a late source never blocks a report).
 * - GL lines: minutes since the last successful GL load (backfill or stream micro-batch);
 * - each EIA series: days between today and its newest period, against the lag EIA publishes
 *   with (daily spot prices about a week, monthly state production two to three months).
 */
import type pg from 'pg';
import { EIA_CATALOG, type EiaFrequency } from '../../../ingestion/src/eia/index.ts';
import type { CheckResult } from './result.ts';

type Db = Pick<pg.Pool, 'query'>;

/** Days a series may lag today before it is stale: EIA's usual publication lag plus slack. */
export const EIA_LAG_TARGET_DAYS: Record<EiaFrequency, number> = {
  daily: 10,
  weekly: 21,
  monthly: 100,
  annual: 500,
};

export interface FreshnessTargets {
  /** Minutes since the last GL load before GL is stale. */
  glMinutes: number;
}

export async function glFreshness(db: Db, targets: FreshnessTargets): Promise<CheckResult> {
  const { rows } = await db.query<{ last: Date | null; age_s: number | null }>(
    `SELECT max(finished_at) AS last, extract(epoch FROM now() - max(finished_at))::float8 AS age_s
       FROM ops.ingestion_batches
      WHERE source = 'gl' AND entity IN ('lines', 'stream') AND status = 'succeeded'`,
  );
  const ageS = rows[0]!.age_s;
  const target = targets.glMinutes * 60;
  const fresh = ageS !== null && ageS <= target;
  return {
    name: 'freshness:gl.lines',
    severity: 'warn',
    status: fresh ? 'pass' : 'fail',
    observed: ageS === null ? null : Math.round(ageS),
    threshold: target,
    details: {
      dataset: 'gl.lines',
      unit: 'seconds',
      last_loaded_at: rows[0]!.last?.toISOString() ?? null,
      message:
        ageS === null
          ? 'no GL lines loaded yet'
          : `last GL load ${Math.round(ageS / 60)} min ago (target ${targets.glMinutes} min)`,
    },
  };
}

export async function eiaFreshness(db: Db): Promise<CheckResult[]> {
  const { rows } = await db.query<{ series_id: string; newest: string; age_days: number }>(
    `SELECT series_id, max(period_start)::text AS newest, (current_date - max(period_start))::int AS age_days
       FROM raw.eia_observations GROUP BY series_id`,
  );
  const newest = new Map(rows.map((r) => [r.series_id, r]));
  return EIA_CATALOG.map((series) => {
    const row = newest.get(series.id);
    const target = EIA_LAG_TARGET_DAYS[series.frequency];
    const fresh = row !== undefined && row.age_days <= target;
    return {
      name: `freshness:eia.${series.id}`,
      severity: 'warn',
      status: fresh ? 'pass' : 'fail',
      observed: row?.age_days ?? null,
      threshold: target,
      details: {
        dataset: `eia.${series.id}`,
        unit: 'days',
        frequency: series.frequency,
        newest_period: row?.newest ?? null,
        message: row
          ? `${series.name}: newest period ${row.newest}, ${row.age_days} days old (target ${target})`
          : `${series.name}: no observations loaded`,
      },
    } satisfies CheckResult;
  });
}
