-- One row per non-operator owner and billing month (the accounting month of its JIB journals):
-- what was billed (the AR-JIB lines) vs what its working interests say it owes. Operators bill
-- JIB in arrears: a billing month covers the costs of the service month
-- var('jib_billing_lag_months') (1) earlier. Expected = sum over the owner's wells of the
-- service month's gross AP-sourced costs (expense and capital) x the owner's working interest;
-- COPAS overhead, which the operator charges in the JIB itself, is shown apart.
{% set lag = var('jib_billing_lag_months') %}

-- the fact's lines, so this build's marts hold the same batches (ADR 35)
with lines as (
    select * from {{ ref('fct_gl_lines') }}
),

interests as (
    select * from {{ ref('stg_gl__well_interests') }}
    where interest_type = 'WI' and working_interest > 0
),

owners as (
    select * from {{ ref('stg_gl__owners') }}
),

-- the first month the GL history covers in full (a service month before it is billed on costs
-- that were never loaded)
history as (
    select
        case when extract(day from min(posting_date)) = 1 then date_trunc('month', min(posting_date))
             else date_trunc('month', min(posting_date)) + interval '1 month' end::date as first_full_month
    from lines
),

billed as (
    select
        owner_id,
        accounting_month as billing_month,
        count(distinct jib_number) as jib_invoice_count,
        count(distinct well_id) as wells_billed,
        coalesce(sum(signed_amount) filter (where account_category = 'ar_jib'), 0) as billed_amount,
        -- COPAS overhead is charged by the operator in the JIB itself, not incurred through AP
        coalesce(-sum(signed_amount) filter (where account_class = 'overhead'), 0) as billed_overhead
    from lines
    where subledger = 'jib'
      and owner_id is not null
    group by owner_id, accounting_month
),

gross_costs as (
    select well_id, accounting_month as service_month, sum(signed_amount) as gross_billable_cost
    from lines
    where subledger = 'ap'
      and well_id is not null
      and account_class in ('loe', 'overhead', 'capex', 'production_tax', 'transportation', 'other_expense')
    group by well_id, accounting_month
),

expected as (
    select
        interests.owner_id,
        (gross_costs.service_month + interval '{{ lag }} month')::date as billing_month,
        sum(gross_costs.gross_billable_cost * interests.working_interest) as expected_amount
    from gross_costs
    inner join interests on gross_costs.well_id = interests.well_id
    inner join owners on interests.owner_id = owners.owner_id
    where owners.owner_type <> 'company'
    group by interests.owner_id, gross_costs.service_month
),

combined as (
    select
        coalesce(billed.owner_id, expected.owner_id) as owner_id,
        coalesce(billed.billing_month, expected.billing_month) as billing_month,
        coalesce(billed.jib_invoice_count, 0) as jib_invoice_count,
        coalesce(billed.wells_billed, 0) as wells_billed,
        coalesce(billed.billed_amount, 0) as billed_amount,
        coalesce(billed.billed_overhead, 0) as billed_overhead,
        coalesce(expected.expected_amount, 0) as expected_amount
    from billed
    full outer join expected
        on billed.owner_id = expected.owner_id
        and billed.billing_month = expected.billing_month
    -- months not billed yet are not a shortfall
    where coalesce(billed.billing_month, expected.billing_month) <= (select max(billing_month) from billed)
)

select
    combined.owner_id as owner_id,
    owners.owner_name as owner_name,
    combined.billing_month as billing_month,
    to_char(combined.billing_month, 'YYYY-MM')::text as billing_period,
    (combined.billing_month - interval '{{ lag }} month')::date as service_month,
    combined.jib_invoice_count::integer as jib_invoice_count,
    combined.wells_billed::integer as wells_billed,
    combined.billed_amount as billed_amount,
    combined.billed_overhead as billed_overhead,
    round(combined.expected_amount, 2)::numeric(18, 2) as expected_amount,
    (combined.billed_amount - combined.billed_overhead - round(combined.expected_amount, 2))::numeric(18, 2) as billing_variance,
    ((combined.billing_month - interval '{{ lag }} month')::date >= history.first_full_month)::boolean as service_month_in_history,
    -- complete: the service month's costs are all loaded and the billing itself is in the window
    (coalesce(completeness.has_costs, false) and combined.jib_invoice_count > 0) as is_complete_month
from combined
cross join history
left join owners on combined.owner_id = owners.owner_id
left join {{ ref('fct_month_completeness') }} as completeness
    on (combined.billing_month - interval '{{ lag }} month')::date = completeness.accounting_month
