{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='line_id',
        on_schema_change='append_new_columns',
        indexes=[
            {'columns': ['line_id'], 'unique': true},
            {'columns': ['batch_id']},
            {'columns': ['journal_id']},
            {'columns': ['posting_date']},
            {'columns': ['well_id', 'activity_month']},
        ],
    )
}}
-- depends_on: {{ ref('stg_ops__ingestion_batches') }}
-- One row per posted GL line, enriched. Incremental on the ingestion batch, not on the posting
-- date: a backfilled old month arrives in a new batch and is picked up like any other.
with lines as (
    select * from {{ ref('int_gl_lines__enriched') }}
    {% if is_incremental() %}
    where batch_id > (select coalesce(max(batch_id), 0) from {{ this }})
      -- a batch still running (started recently) may commit after a later one: wait for it
      and batch_id < coalesce((
          select min(batch_id)
          from {{ ref('stg_ops__ingestion_batches') }}
          where source_system = 'gl'
            and batch_status = 'running'
            and started_at > now() - interval '{{ var("in_flight_batch_guard_hours") }} hours'
      ), {{ 2 ** 62 }})
    {% endif %}
)

select
    line_id,
    journal_id,
    line_no::integer as line_no,
    posting_date,
    accounting_period,
    accounting_month,
    account_number,
    account_name,
    account_type,
    account_category,
    account_class,
    debit,
    credit,
    signed_amount,
    subledger,
    journal_description,
    well_id,
    basin,
    state_code,
    production_month,
    production_month_start,
    activity_month,
    product,
    afe_number,
    jib_number,
    owner_id,
    volume,
    volume_uom,
    unit_price,
    reverses_journal_id,
    batch_id::bigint as batch_id,
    ingested_at
from lines
