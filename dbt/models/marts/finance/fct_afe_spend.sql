-- One row per AFE: gross spend to date vs gross budget. Gross spend = debits - credits on capital
-- accounts charged to the AFE from every sub-ledger except JIB (partner billings reduce the
-- company's net cost, not the AFE's gross cost). Accruals and their reversals net out.
with afes as (
    select * from {{ ref('stg_gl__afes') }}
),

spend as (
    select
        afe_number,
        sum(signed_amount) as gross_spend,
        count(*) as spend_line_count,
        min(posting_date) as first_spend_date,
        max(posting_date) as last_spend_date
    from {{ ref('int_gl_lines__enriched') }}
    where afe_number is not null
      and account_class = 'capex'
      and subledger <> 'jib'
    group by afe_number
),

joined as (
    select
        afes.afe_number,
        afes.afe_type,
        afes.well_id,
        afes.afe_status,
        afes.gross_budget,
        coalesce(spend.gross_spend, 0) as gross_spend,
        coalesce(spend.spend_line_count, 0) as spend_line_count,
        spend.first_spend_date,
        spend.last_spend_date
    from afes
    left join spend on afes.afe_number = spend.afe_number
)

select
    afe_number::text as afe_number,
    afe_type::text as afe_type,
    well_id::text as well_id,
    afe_status::text as afe_status,
    gross_budget::numeric(18, 2) as gross_budget,
    gross_spend::numeric(18, 2) as gross_spend,
    (gross_spend - gross_budget)::numeric(18, 2) as variance_amount,
    {{ safe_divide('gross_spend - gross_budget', 'gross_budget') }}::numeric(12, 6) as variance_pct,
    {{ safe_divide('gross_spend', 'gross_budget') }}::numeric(12, 6) as spend_pct_of_budget,
    (gross_spend > gross_budget)::boolean as is_over_budget,
    spend_line_count::integer as spend_line_count,
    first_spend_date::date as first_spend_date,
    last_spend_date::date as last_spend_date
from joined
