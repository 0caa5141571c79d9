-- One row per AFE with its well and basin.
select
    afes.afe_number::text as afe_number,
    afes.afe_type::text as afe_type,
    afes.afe_description::text as afe_description,
    afes.well_id::text as well_id,
    wells.well_name::text as well_name,
    wells.basin::text as basin,
    afes.gross_budget::numeric(18, 2) as gross_budget,
    afes.afe_status::text as afe_status,
    afes.approved_date::date as approved_date
from {{ ref('stg_gl__afes') }} as afes
left join {{ ref('stg_gl__wells') }} as wells on afes.well_id = wells.well_id
