-- Quarantined records (failed validation or conflicting with stored data), without payloads.
with source as (
    select * from {{ source('ops', 'quarantine') }}
)

select
    quarantine_id,
    batch_id,
    source as source_system,
    entity,
    record_key,
    reason as quarantine_reason,
    quarantined_at
from source
