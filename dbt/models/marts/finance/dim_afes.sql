-- One row per AFE with its well and basin.
select
    afes.afe_number as afe_number,
    afes.afe_type as afe_type,
    afes.afe_description as afe_description,
    afes.well_id as well_id,
    wells.well_name as well_name,
    wells.basin as basin,
    afes.gross_budget as gross_budget,
    afes.afe_status as afe_status,
    afes.approved_date as approved_date
from {{ ref('stg_gl__afes') }} as afes
left join {{ ref('stg_gl__wells') }} as wells on afes.well_id = wells.well_id
