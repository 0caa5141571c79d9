-- Monthly crude oil field production by state (MCRFPxx1, thousand barrels) from raw.eia_observations.
with source as (
    select * from {{ source('eia', 'eia_production_observations') }}
)

select
    series_id,
    substring(series_id from 6 for 2) as state_code,
    period as production_month,
    period_start as production_month_start,
    value as production_mbbl,
    units as production_units,
    revision,
    batch_id,
    ingested_at,
    updated_at
from source
where frequency = 'monthly'
  and series_id ~ '^MCRFP[A-Z]{2}1$'
