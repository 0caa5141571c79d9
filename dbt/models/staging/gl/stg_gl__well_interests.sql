-- One row per (well, owner, interest type): the interests array of raw.gl_wells.payload unnested.
with source as (
    select * from {{ source('gl', 'gl_wells') }}
),

interests as (
    select
        source.well_id,
        interest.ordinality::integer as interest_position,
        interest.value as interest
    from source
    cross join lateral jsonb_array_elements(source.payload -> 'interests') with ordinality as interest (value, ordinality)
)

select
    well_id || ':' || (interest ->> 'owner_id') || ':' || (interest ->> 'interest_type') as well_interest_id,
    well_id,
    interest ->> 'owner_id' as owner_id,
    interest ->> 'interest_type' as interest_type,
    (interest ->> 'working_interest')::numeric as working_interest,
    (interest ->> 'revenue_interest')::numeric as revenue_interest,
    interest_position
from interests
