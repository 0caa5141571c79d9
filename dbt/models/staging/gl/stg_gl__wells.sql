-- Wells from the reference-data snapshot (raw.gl_wells.payload), typed.
with source as (
    select * from {{ source('gl', 'gl_wells') }}
)

select
    well_id,
    payload ->> 'api_number' as api_number,
    payload ->> 'well_name' as well_name,
    payload ->> 'basin' as basin,
    payload ->> 'state' as state_code,
    payload ->> 'county' as county,
    (payload ->> 'first_production_date')::date as first_production_date,
    payload ->> 'status' as well_status,
    (payload #>> '{decline,oil,qi}')::numeric as oil_decline_qi,
    (payload #>> '{decline,oil,di}')::numeric as oil_decline_di,
    (payload #>> '{decline,oil,b}')::numeric as oil_decline_b,
    (payload #>> '{decline,gas,qi}')::numeric as gas_decline_qi,
    (payload #>> '{decline,gas,di}')::numeric as gas_decline_di,
    (payload #>> '{decline,gas,b}')::numeric as gas_decline_b,
    (payload #>> '{decline,ngl,qi}')::numeric as ngl_decline_qi,
    (payload #>> '{decline,ngl,di}')::numeric as ngl_decline_di,
    (payload #>> '{decline,ngl,b}')::numeric as ngl_decline_b,
    payload_hash,
    batch_id,
    ingested_at,
    updated_at
from source
