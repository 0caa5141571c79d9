-- Authorities for expenditure, typed.
with source as (
    select * from {{ source('gl', 'gl_afes') }}
)

select
    afe_number,
    payload ->> 'afe_type' as afe_type,
    payload ->> 'well_id' as well_id,
    payload ->> 'description' as afe_description,
    (payload ->> 'gross_budget')::numeric(18, 2) as gross_budget,
    payload ->> 'status' as afe_status,
    (payload ->> 'approved_date')::date as approved_date,
    payload_hash,
    batch_id,
    ingested_at,
    updated_at
from source
