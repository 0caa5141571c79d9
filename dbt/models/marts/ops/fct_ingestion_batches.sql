-- One row per ingestion batch with its duration and the quarantine entries it produced.
with batches as (
    select * from {{ ref('stg_ops__ingestion_batches') }}
),

quarantined as (
    select batch_id, count(*) as quarantine_entries
    from {{ ref('stg_ops__quarantine') }}
    group by batch_id
)

select
    batches.batch_id::bigint as batch_id,
    batches.source_system as source_system,
    batches.entity as entity,
    batches.batch_status as batch_status,
    batches.started_at as started_at,
    batches.finished_at as finished_at,
    extract(epoch from batches.finished_at - batches.started_at)::numeric(12, 3) as duration_seconds,
    batches.rows_received::integer as rows_received,
    batches.rows_inserted::integer as rows_inserted,
    batches.rows_unchanged::integer as rows_unchanged,
    batches.rows_revised::integer as rows_revised,
    batches.rows_quarantined::integer as rows_quarantined,
    coalesce(quarantined.quarantine_entries, 0)::integer as quarantine_entries,
    batches.warning_count::integer as warning_count,
    batches.error_message as error_message
from batches
left join quarantined on batches.batch_id = quarantined.batch_id
