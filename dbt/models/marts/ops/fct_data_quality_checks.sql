-- One row per data-quality check: the latest outcome of every check the pipeline recorded in
-- ops.dq_results, plus one quarantine check per ingested source and entity (fails when any record
-- of it was ever quarantined), so the report always lists the quarantine status of every feed.
with latest_results as (
    select distinct on (check_name)
        check_name,
        severity,
        check_status,
        observed_value,
        threshold_value,
        checked_at
    from {{ ref('stg_ops__dq_results') }}
    order by check_name, checked_at desc, result_id desc
),

entities as (
    select distinct source_system, entity
    from {{ ref('stg_ops__ingestion_batches') }}
),

quarantine as (
    select source_system, entity, count(*) as quarantined, max(quarantined_at) as last_quarantined_at
    from {{ ref('stg_ops__quarantine') }}
    group by source_system, entity
),

quarantine_checks as (
    select
        'quarantine:' || entities.source_system || '.' || entities.entity as check_name,
        'warn' as severity,
        case when coalesce(quarantine.quarantined, 0) = 0 then 'pass' else 'fail' end as check_status,
        coalesce(quarantine.quarantined, 0)::numeric as observed_value,
        0::numeric as threshold_value,
        quarantine.last_quarantined_at as checked_at
    from entities
    left join quarantine
        on entities.source_system = quarantine.source_system
        and entities.entity = quarantine.entity
)

select
    check_name,
    check_origin,
    severity,
    check_status,
    observed_value,
    threshold_value,
    checked_at
from (
    select latest_results.*, 'dq_results' as check_origin from latest_results
    union all
    select quarantine_checks.*, 'quarantine' as check_origin from quarantine_checks
) as checks
