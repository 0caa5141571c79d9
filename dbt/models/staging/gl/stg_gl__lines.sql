-- One row per posted GL line, renamed and cast; no business logic.
with source as (
    select * from {{ source('gl', 'gl_lines') }}
)

select
    line_id,
    journal_id,
    line_no,
    posting_date,
    accounting_period,
    {{ month_start('accounting_period') }} as accounting_month,
    account_number,
    debit,
    credit,
    source as subledger,
    description as journal_description,
    well_id,
    production_month,
    {{ month_start('production_month') }} as production_month_start,
    product,
    afe_number,
    jib_number,
    owner_id,
    volume,
    volume_uom,
    unit_price,
    reverses_journal_id,
    payload_hash,
    batch_id,
    ingested_at
from source
