-- GL lines with their account (type, category, reporting class) and well (basin, state), plus
-- signed amounts. One row per GL line; the base of fct_gl_lines only. Every other GL model reads
-- the fact, which waits for running batches, so a build's marts all hold the same lines.
with lines as (
    select * from {{ ref('stg_gl__lines') }}
),

accounts as (
    select * from {{ ref('stg_gl__accounts') }}
),

wells as (
    select * from {{ ref('stg_gl__wells') }}
)

select
    lines.line_id,
    lines.journal_id,
    lines.line_no,
    lines.posting_date,
    lines.accounting_period,
    lines.accounting_month,
    lines.account_number,
    accounts.account_name,
    accounts.account_type,
    accounts.account_category,
    {{ account_class('accounts.account_category', 'accounts.account_type') }} as account_class,
    lines.debit,
    lines.credit,
    lines.debit - lines.credit as signed_amount,
    lines.subledger,
    lines.journal_description,
    lines.well_id,
    wells.well_name,
    wells.basin,
    wells.state_code,
    lines.production_month,
    lines.production_month_start,
    coalesce(lines.production_month_start, lines.accounting_month) as activity_month,
    coalesce(
        lines.product,
        case accounts.account_category
            when 'revenue_oil' then 'oil'
            when 'revenue_gas' then 'gas'
            when 'revenue_ngl' then 'ngl'
        end
    ) as product,
    lines.afe_number,
    lines.jib_number,
    lines.owner_id,
    lines.volume,
    lines.volume_uom,
    lines.unit_price,
    lines.reverses_journal_id,
    lines.batch_id,
    lines.ingested_at
from lines
left join accounts on lines.account_number = accounts.account_number
left join wells on lines.well_id = wells.well_id
