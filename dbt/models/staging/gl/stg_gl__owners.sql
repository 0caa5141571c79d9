-- Owners (company, working-interest partners, royalty and ORRI owners), typed.
with source as (
    select * from {{ source('gl', 'gl_owners') }}
)

select
    owner_id,
    payload ->> 'name' as owner_name,
    payload ->> 'owner_type' as owner_type,
    payload_hash,
    batch_id,
    ingested_at,
    updated_at
from source
