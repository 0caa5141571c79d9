/**
 * Which months of the loaded window are complete: their revenue accruals, every revenue actual
 * (purchaser remittance) and their costs are all loaded. KPIs and trends use complete months only.
 *
 * marts.fct_month_completeness is the definition (dbt docs: month_completeness). Until a
 * database has that mart, the same rule is derived here from marts.fct_gl_lines: the window is the
 * span of loaded posting dates; a month has its accruals when its last day is in the window, its
 * actuals when the window runs to the 27th of the second month after it (when the last
 * remittance arrives), and its costs when the whole month is in the window and LOE or DD&A is
 * booked in it.
 */
import type pg from 'pg';
import type { MonthCoverage } from '../model.ts';

const FROM_MART = `
  SELECT accounting_month::text AS month, has_revenue_actuals, has_revenue_accruals, has_costs, is_complete_month
  FROM marts.fct_month_completeness
  ORDER BY accounting_month`;

const DERIVED = `
  WITH bounds AS (
    SELECT min(posting_date) AS window_start, max(posting_date) AS window_end FROM marts.fct_gl_lines
  ),
  months AS (
    SELECT m::date AS month, (m + interval '1 month - 1 day')::date AS month_end,
           (m + interval '2 months 26 days')::date AS settled_by
    FROM bounds, generate_series(date_trunc('month', window_start), date_trunc('month', window_end), interval '1 month') AS m
  ),
  costs AS (
    SELECT DISTINCT accounting_month FROM marts.fct_gl_lines WHERE account_class IN ('loe', 'dda')
  ),
  flags AS (
    SELECT months.month,
           (window_start <= month_end + 1 AND window_end >= settled_by) AS has_revenue_actuals,
           (window_start <= month_end AND window_end >= month_end) AS has_revenue_accruals,
           (window_start <= months.month AND window_end >= month_end AND costs.accounting_month IS NOT NULL) AS has_costs
    FROM months CROSS JOIN bounds LEFT JOIN costs ON costs.accounting_month = months.month
  )
  SELECT month::text AS month, has_revenue_actuals, has_revenue_accruals, has_costs,
         (has_revenue_actuals AND has_revenue_accruals AND has_costs) AS is_complete_month
  FROM flags ORDER BY month`;

interface Row {
  month: string;
  has_revenue_actuals: boolean;
  has_revenue_accruals: boolean;
  has_costs: boolean;
  is_complete_month: boolean;
}

export async function readMonthCompleteness(db: pg.Pool | pg.PoolClient): Promise<MonthCoverage[]> {
  const { rows: found } = await db.query<{ present: boolean }>(
    `SELECT to_regclass('marts.fct_month_completeness') IS NOT NULL AS present`,
  );
  const { rows } = await db.query<Row>(found[0]?.present ? FROM_MART : DERIVED);
  return rows.map((r) => ({
    month: r.month,
    isComplete: r.is_complete_month,
    missing: [
      ...(r.has_revenue_actuals ? [] : ['revenue actuals']),
      ...(r.has_revenue_accruals ? [] : ['revenue accruals']),
      ...(r.has_costs ? [] : ['costs']),
    ],
  }));
}
