-- Daily benchmark spot prices (WTI Cushing, Brent, Henry Hub) from raw.eia_observations.
with source as (
    select * from {{ source('eia', 'eia_price_observations') }}
)

select
    series_id,
    case series_id
        when 'RWTC' then 'wti'
        when 'RBRTE' then 'brent'
        when 'RNGWHHD' then 'henry_hub'
    end as benchmark,
    period_start as price_date,
    value as price,
    units as price_units,
    revision,
    batch_id,
    ingested_at,
    updated_at
from source
where frequency = 'daily'
  and series_id in ('RWTC', 'RBRTE', 'RNGWHHD')
