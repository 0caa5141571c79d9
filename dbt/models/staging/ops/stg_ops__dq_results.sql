-- Outcomes of data-quality checks recorded by the pipeline, renamed.
with source as (
    select * from {{ source('ops', 'dq_results') }}
)

select
    result_id,
    run_id,
    check_name,
    severity,
    status as check_status,
    observed as observed_value,
    threshold as threshold_value,
    details as check_details,
    checked_at
from source
