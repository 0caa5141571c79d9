{{ config(severity='warn') }}
-- Partners are billed their working-interest share of the service month's gross costs, to within
-- a cent of rounding per well (overhead apart). Warns (a billing finding, not a broken pipeline).
select owner_id, billing_month, billed_amount, billed_overhead, expected_amount, billing_variance, wells_billed
from {{ ref('fct_jib_billing') }}
where service_month_in_history
  and abs(billing_variance) > 0.01 * greatest(wells_billed, 1)
