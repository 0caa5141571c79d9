-- Reconciliation: fct_gl_lines holds exactly the raw GL lines of the batches it has processed -
-- same count, same sum of debits, same sum of credits (to the cent). Returns a row on mismatch.
with watermark as (
    select coalesce(max(batch_id), 0) as max_batch_id from {{ ref('fct_gl_lines') }}
),

raw_totals as (
    select count(*) as line_count, coalesce(sum(debit), 0) as total_debit, coalesce(sum(credit), 0) as total_credit
    from {{ source('gl', 'gl_lines') }}
    where batch_id <= (select max_batch_id from watermark)
),

fct_totals as (
    select count(*) as line_count, coalesce(sum(debit), 0) as total_debit, coalesce(sum(credit), 0) as total_credit
    from {{ ref('fct_gl_lines') }}
)

select raw_totals.*, fct_totals.line_count as fct_line_count, fct_totals.total_debit as fct_total_debit,
       fct_totals.total_credit as fct_total_credit
from raw_totals
cross join fct_totals
where raw_totals.line_count <> fct_totals.line_count
   or raw_totals.total_debit <> fct_totals.total_debit
   or raw_totals.total_credit <> fct_totals.total_credit
