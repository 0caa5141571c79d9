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
    line_id::text as line_id,
    journal_id::text as journal_id,
    line_no::integer as line_no,
    posting_date::date as posting_date,
    accounting_period::text as accounting_period,
    accounting_month::date as accounting_month,
    account_number::text as account_number,
    account_name::text as account_name,
    account_type::text as account_type,
    account_category::text as account_category,
    account_class::text as account_class,
    debit::numeric(18, 2) as debit,
    credit::numeric(18, 2) as credit,
    signed_amount::numeric(18, 2) as signed_amount,
    subledger::text as subledger,
    journal_description::text as journal_description,
    well_id::text as well_id,
    basin::text as basin,
    state_code::text as state_code,
    production_month::text as production_month,
    production_month_start::date as production_month_start,
    activity_month::date as activity_month,
    product::text as product,
    afe_number::text as afe_number,
    jib_number::text as jib_number,
    owner_id::text as owner_id,
    volume::numeric(18, 4) as volume,
    volume_uom::text as volume_uom,
    unit_price::numeric(18, 6) as unit_price,
    reverses_journal_id::text as reverses_journal_id,
    batch_id::bigint as batch_id,
    ingested_at::timestamptz as ingested_at
from lines
