-- One row per owner with the number of wells it holds an interest in.
with owners as (
    select * from {{ ref('stg_gl__owners') }}
),

holdings as (
    select
        owner_id,
        count(distinct well_id) as well_count,
        count(distinct well_id) filter (where interest_type = 'WI') as working_interest_well_count
    from {{ ref('stg_gl__well_interests') }}
    group by owner_id
)

select
    owners.owner_id as owner_id,
    owners.owner_name as owner_name,
    owners.owner_type as owner_type,
    coalesce(holdings.well_count, 0)::integer as well_count,
    coalesce(holdings.working_interest_well_count, 0)::integer as working_interest_well_count
from owners
left join holdings on owners.owner_id = holdings.owner_id
