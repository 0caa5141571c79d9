/**
 * The report's queries on the marts (and the two ops views made for reports). Every KPI is
 * computed and rounded to the cent here, in SQL, once; the writers render the numbers as they are.
 * $1 is always the array of complete months the report covers.
 */

export const COMPANY = `
  SELECT owner_name FROM marts.dim_owners WHERE owner_type = 'company' ORDER BY owner_id LIMIT 1`;

export const HAS_DATA = `SELECT count(*)::int AS n FROM marts.fct_well_pnl_monthly`;

export const MONTHLY = `
  WITH m AS (
    SELECT activity_month,
           extract(day from activity_month + interval '1 month - 1 day')::int AS days,
           sum(oil_bbl) AS oil_bbl, sum(gas_mcf) AS gas_mcf, sum(ngl_bbl) AS ngl_bbl, sum(net_boe) AS net_boe,
           sum(net_revenue) AS net_revenue, sum(production_taxes) AS production_taxes,
           sum(transportation) AS transportation, sum(loe) AS loe, sum(netback) AS netback,
           sum(overhead) AS overhead, sum(dda) AS dda, sum(operating_income) AS operating_income
    FROM marts.fct_well_pnl_monthly
    WHERE activity_month = ANY($1::date[])
    GROUP BY activity_month
  )
  SELECT activity_month::text AS month, days,
         round(oil_bbl, 2) AS oil_bbl, round(gas_mcf, 2) AS gas_mcf, round(ngl_bbl, 2) AS ngl_bbl,
         round(net_boe, 2) AS net_boe,
         round(net_boe / days, 2) AS boe_per_day, round(oil_bbl / days, 2) AS oil_bbl_per_day,
         round(gas_mcf / days, 2) AS gas_mcf_per_day,
         net_revenue, production_taxes, transportation, loe, netback, overhead, dda, operating_income,
         round(loe / nullif(net_boe, 0), 2) AS loe_per_boe, round(netback / nullif(net_boe, 0), 2) AS netback_per_boe
  FROM m ORDER BY activity_month`;

export const BASINS = `
  SELECT activity_month::text AS month, coalesce(basin, 'unassigned') AS basin,
         round(sum(net_boe), 2) AS net_boe, sum(net_revenue) AS net_revenue,
         sum(production_taxes) AS production_taxes, sum(transportation) AS transportation, sum(loe) AS loe,
         sum(netback) AS netback, sum(overhead) AS overhead, sum(dda) AS dda,
         sum(operating_income) AS operating_income,
         round(sum(netback) / nullif(sum(net_boe), 0), 2) AS netback_per_boe
  FROM marts.fct_well_pnl_monthly
  WHERE activity_month = ANY($1::date[])
  GROUP BY activity_month, coalesce(basin, 'unassigned')
  ORDER BY activity_month, basin`;

/** Company-wide realized price per product: all basins' revenue over all basins' volume. */
export const REALIZED = `
  WITH p AS (
    SELECT production_month, product,
           sum(net_revenue) / nullif(sum(net_volume), 0) AS realized,
           max(benchmark_price) AS benchmark,
           bool_and(benchmark_status = 'available') AS available
    FROM marts.fct_realized_prices
    WHERE production_month = ANY($1::date[])
    GROUP BY production_month, product
  )
  SELECT production_month::text AS month, product, round(realized, 2) AS realized,
         CASE WHEN available THEN round(benchmark, 2) END AS benchmark,
         CASE WHEN available THEN round(realized - benchmark, 2) END AS differential
  FROM p ORDER BY production_month, product`;

export const WELL_LOE = `
  SELECT pnl.well_id, coalesce(wells.well_name, pnl.well_id) AS well_name, coalesce(pnl.basin, 'unassigned') AS basin,
         pnl.loe, round(pnl.net_boe, 2) AS net_boe, round(pnl.loe / pnl.net_boe, 2) AS loe_per_boe
  FROM marts.fct_well_pnl_monthly AS pnl
  LEFT JOIN marts.dim_wells AS wells ON wells.well_id = pnl.well_id
  WHERE pnl.activity_month = $1::date AND pnl.net_boe > 0
  ORDER BY pnl.loe / pnl.net_boe DESC, pnl.well_id`;

export const AFES = `
  SELECT spend.afe_number, spend.afe_type, coalesce(afes.well_name, spend.well_id, '') AS well_name,
         coalesce(afes.basin, 'unassigned') AS basin, spend.afe_status,
         spend.gross_budget, spend.gross_spend, spend.variance_amount,
         round(spend.spend_pct_of_budget * 100, 2) AS spend_pct_of_budget
  FROM marts.fct_afe_spend AS spend
  LEFT JOIN marts.dim_afes AS afes ON afes.afe_number = spend.afe_number
  ORDER BY spend.gross_budget DESC, spend.afe_number`;

export const AFE_BY_TYPE = `
  SELECT afe_type, count(*)::int AS afes, sum(gross_budget) AS gross_budget, sum(gross_spend) AS gross_spend,
         sum(variance_amount) AS variance
  FROM marts.fct_afe_spend GROUP BY afe_type ORDER BY sum(gross_budget) DESC, afe_type`;

export const AFE_TOTALS = `
  SELECT sum(gross_budget) AS gross_budget, sum(gross_spend) AS gross_spend,
         round(sum(gross_spend) / nullif(sum(gross_budget), 0) * 100, 2) AS spend_pct_of_budget
  FROM marts.fct_afe_spend`;

export const JIB = `
  SELECT coalesce(owner_name, owner_id) AS owner_name, billing_period, to_char(service_month, 'YYYY-MM') AS service_period,
         jib_invoice_count AS invoices, wells_billed, billed_amount, billed_overhead, expected_amount, billing_variance
  FROM marts.fct_jib_billing
  ORDER BY billing_month, owner_name, owner_id`;

/** Billed in each month, and the AR-JIB balance (billed, not yet collected) at its end. */
export const JIB_BY_MONTH = `
  SELECT m::date::text AS month,
         (SELECT coalesce(sum(billed_amount), 0) FROM marts.fct_jib_billing WHERE billing_month = m::date) AS billed,
         (SELECT coalesce(sum(signed_amount), 0) FROM marts.fct_gl_lines
           WHERE account_category = 'ar_jib' AND posting_date < m::date + interval '1 month') AS open
  FROM unnest($1::date[]) AS m`;

export const PRODUCTION_VS_EIA = `
  SELECT state_code, production_month::text AS month, round(company_oil_bbl, 2) AS company_oil_bbl,
         eia_production_bbl, round(company_share_of_eia, 6) AS share, eia_status
  FROM marts.fct_production_vs_eia
  WHERE production_month = ANY($1::date[])
  ORDER BY state_code = 'US' DESC, state_code, production_month`;

export const LATEST_EIA_MONTH = `SELECT max(latest_eia_month)::text AS month FROM marts.fct_production_vs_eia`;

/** The latest result of every check `pipeline check` recorded. */
export const CHECKS = `
  SELECT DISTINCT ON (check_name) check_name, severity, status, observed, threshold, checked_at::text AS checked_at
  FROM ops.dq_results
  ORDER BY check_name, checked_at DESC, result_id DESC`;

/** The same from the data-quality mart, for a database whose reporting role cannot read ops.dq_results. */
export const CHECKS_FROM_MART = `
  SELECT check_name, severity, check_status AS status, observed_value AS observed, threshold_value AS threshold,
         checked_at::text AS checked_at
  FROM marts.fct_data_quality_checks WHERE check_origin = 'dq_results' ORDER BY check_name`;

export const QUARANTINE = `
  SELECT source, entity, reason, records::int AS records, last_seen::text AS last_seen
  FROM ops.report_quarantine_summary ORDER BY records DESC, source, entity, reason`;

export const FRESHNESS = `
  SELECT source_system AS source, max(latest_data_date)::text AS latest_data_date,
         max(last_success_at)::text AS last_success_at, min(hours_since_last_success) AS hours_since_last_success,
         sum(failed_batches_last_24h)::int AS failed_batches_last_24h
  FROM marts.fct_source_freshness GROUP BY source_system ORDER BY source_system`;
