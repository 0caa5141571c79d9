-- Ingestion batches (one per load attempt), renamed.
with source as (
    select * from {{ source('ops', 'ingestion_batches') }}
)

select
    batch_id,
    source as source_system,
    entity,
    status as batch_status,
    params as batch_params,
    started_at,
    finished_at,
    rows_received,
    rows_inserted,
    rows_unchanged,
    rows_revised,
    rows_quarantined,
    jsonb_array_length(warnings) as warning_count,
    error as error_message
from source
