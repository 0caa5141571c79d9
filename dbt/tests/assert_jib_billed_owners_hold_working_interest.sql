-- JIB lines bill a working-interest partner of the well: on every JIB line that names a well and
-- an owner, the owner holds a WI in that well and is not the operator (company) itself.
select lines.line_id, lines.well_id, lines.owner_id
from {{ ref('fct_gl_lines') }} as lines
left join {{ ref('stg_gl__well_interests') }} as interests
    on lines.well_id = interests.well_id
    and lines.owner_id = interests.owner_id
    and interests.interest_type = 'WI'
left join {{ ref('dim_owners') }} as owners on lines.owner_id = owners.owner_id
where lines.subledger = 'jib'
  and lines.well_id is not null
  and lines.owner_id is not null
  and (interests.well_id is null or owners.owner_type = 'company')
