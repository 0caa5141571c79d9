-- One row per well with the company's working and net revenue interest.
with wells as (
    select * from {{ ref('stg_gl__wells') }}
),

company_interest as (
    select
        interests.well_id,
        sum(interests.working_interest) as company_working_interest,
        sum(interests.revenue_interest) as company_revenue_interest
    from {{ ref('stg_gl__well_interests') }} as interests
    inner join {{ ref('stg_gl__owners') }} as owners on interests.owner_id = owners.owner_id
    where owners.owner_type = 'company'
    group by interests.well_id
),

owner_counts as (
    select well_id, count(distinct owner_id) as owner_count
    from {{ ref('stg_gl__well_interests') }}
    group by well_id
)

select
    wells.well_id as well_id,
    wells.api_number as api_number,
    wells.well_name as well_name,
    wells.basin as basin,
    wells.state_code as state_code,
    wells.county as county,
    wells.first_production_date as first_production_date,
    wells.well_status as well_status,
    coalesce(company_interest.company_working_interest, 0)::numeric(12, 8) as company_working_interest,
    coalesce(company_interest.company_revenue_interest, 0)::numeric(12, 8) as company_revenue_interest,
    coalesce(owner_counts.owner_count, 0)::integer as owner_count
from wells
left join company_interest on wells.well_id = company_interest.well_id
left join owner_counts on wells.well_id = owner_counts.well_id
