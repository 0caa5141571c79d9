-- One row per AFE: gross spend to date vs gross budget. Gross spend = debits - credits charged to
-- the AFE from every sub-ledger except JIB (partner billings reduce the company's net cost, not
-- the AFE's gross cost): capital accounts for drilling, completion and facilities, the LOE
-- account for workovers (a workover is expensed). Accruals and their reversals net out. Flags
-- say when the loaded window cannot hold all of it: approved before the window with work under
-- way at its start, or approved after the GL as-of date (planned, not open).
with afes as (
    select * from {{ ref('stg_gl__afes') }}
),

gl_window as (
    select min(window_start) as window_start, max(window_end) as window_end
    from {{ ref('fct_month_completeness') }}
),

spend as (
    select
        afe_number,
        sum(signed_amount) as gross_spend,
        coalesce(sum(signed_amount) filter (where account_class = 'loe'), 0) as expensed_spend,
        count(*) as spend_line_count,
        min(posting_date) as first_spend_date,
        max(posting_date) as last_spend_date
    from {{ ref('fct_gl_lines') }}
    where afe_number is not null
      and account_class in ('capex', 'loe')
      and subledger <> 'jib'
    group by afe_number
),

joined as (
    select
        afes.afe_number,
        afes.afe_type,
        afes.well_id,
        afes.afe_status,
        afes.approved_date,
        afes.gross_budget,
        coalesce(spend.gross_spend, 0) as gross_spend,
        coalesce(spend.expensed_spend, 0) as expensed_spend,
        coalesce(spend.spend_line_count, 0) as spend_line_count,
        spend.first_spend_date,
        spend.last_spend_date,
        afes.approved_date > gl_window.window_end as is_approved_after_as_of,
        -- work under way when the window began (or finished before it): spend before it is not loaded
        afes.approved_date < gl_window.window_start
            and (spend.first_spend_date is null or spend.first_spend_date < gl_window.window_start + 31) as has_spend_before_window
    from afes
    cross join gl_window
    left join spend on afes.afe_number = spend.afe_number
)

select
    afe_number,
    afe_type,
    well_id,
    afe_status,
    (case when is_approved_after_as_of then 'planned' else afe_status end)::text as afe_status_as_of,
    approved_date,
    gross_budget,
    gross_spend,
    expensed_spend,
    (gross_spend - gross_budget)::numeric(18, 2) as variance_amount,
    {{ safe_divide('gross_spend - gross_budget', 'gross_budget') }}::numeric(12, 6) as variance_pct,
    {{ safe_divide('gross_spend', 'gross_budget') }}::numeric(12, 6) as spend_pct_of_budget,
    (gross_spend > gross_budget) as is_over_budget,
    spend_line_count::integer as spend_line_count,
    first_spend_date,
    last_spend_date,
    coalesce(is_approved_after_as_of, false) as is_approved_after_as_of,
    coalesce(has_spend_before_window, false) as has_spend_before_window
from joined
