-- One row per month of the loaded GL window: which of the month's books are in the window, so
-- no KPI shows a month that is only partly loaded. The window runs from the earliest to the
-- latest day the GL loads covered (their posting dates, widened to the range a backfill batch
-- asked for). See the doc block month_completeness.
{% set settled_day = var('revenue_settled_by_day_of_second_month') %}

-- the fact's lines, so the window is the one this build's marts hold (ADR 35)
with lines as (
    select * from {{ ref('fct_gl_lines') }}
),

batches as (
    select batch_params from {{ ref('stg_ops__ingestion_batches') }}
    where source_system = 'gl' and batch_status = 'succeeded'
),

requested as (
    select
        min(case when batch_params ->> 'start' ~ '^\d{4}-\d{2}-\d{2}$' then (batch_params ->> 'start')::date end) as first_day,
        max(case when batch_params ->> 'end' ~ '^\d{4}-\d{2}-\d{2}$' then (batch_params ->> 'end')::date end) as last_day
    from batches
),

posted as (
    select min(posting_date) as first_day, max(posting_date) as last_day from lines
),

window_bounds as (
    select
        least(posted.first_day, coalesce(requested.first_day, posted.first_day)) as window_start,
        greatest(posted.last_day, coalesce(requested.last_day, posted.last_day)) as window_end
    from posted
    cross join requested
),

months as (
    select
        month_start::date as accounting_month,
        (month_start + interval '1 month - 1 day')::date as month_end,
        -- the last purchaser remittance for a production month (gas and NGL) arrives by this day
        (month_start + interval '2 months' + interval '{{ settled_day - 1 }} days')::date as revenue_settled_by
    from window_bounds
    cross join lateral generate_series(
        date_trunc('month', window_bounds.window_start),
        date_trunc('month', window_bounds.window_end),
        interval '1 month'
    ) as month_start
),

costs as (
    select distinct accounting_month
    from {{ ref('fct_gl_lines') }}
    where account_class in ('loe', 'dda')
)

select
    months.accounting_month as accounting_month,
    has_actuals.flag as has_revenue_actuals,
    has_accruals.flag as has_revenue_accruals,
    has_costs.flag as has_costs,
    (has_actuals.flag and has_accruals.flag and has_costs.flag)::boolean as is_complete_month,
    window_bounds.window_start as window_start,
    window_bounds.window_end as window_end
from months
cross join window_bounds
left join costs on months.accounting_month = costs.accounting_month
-- remittances for the month arrive from the next month until revenue_settled_by
cross join lateral (
    select window_bounds.window_start <= months.month_end + 1 and window_bounds.window_end >= months.revenue_settled_by as flag
) as has_actuals
-- the month's accrual is posted on its last day
cross join lateral (
    select window_bounds.window_start <= months.month_end and window_bounds.window_end >= months.month_end as flag
) as has_accruals
-- costs post every day of the month: the whole month is in the window and its costs are there
cross join lateral (
    select window_bounds.window_start <= months.accounting_month
       and window_bounds.window_end >= months.month_end
       and costs.accounting_month is not null as flag
) as has_costs
