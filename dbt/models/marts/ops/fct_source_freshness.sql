-- One row per source and entity: when it last loaded successfully, how long ago (at build time),
-- the latest data period it holds, and its failures and quarantines over the last 24 hours. The
-- data period is the entity's own: each EIA series (the batch entity is the series id) its
-- latest observation, GL lines and stream the latest posting date; reference data has none.
-- Abandoned batches (a process died before committing) are counted apart from failed ones: the
-- next load redid their work, so they say the loader was killed, not that the data was refused.
with batches as (
    select * from {{ ref('stg_ops__ingestion_batches') }}
),

per_entity as (
    select
        source_system,
        entity,
        max(batch_id) as last_batch_id,
        max(finished_at) filter (where batch_status = 'succeeded') as last_success_at,
        count(*) filter (where started_at > now() - interval '24 hours') as batches_last_24h,
        count(*) filter (where batch_status = 'failed' and started_at > now() - interval '24 hours') as failed_batches_last_24h,
        count(*) filter (where batch_status = 'abandoned' and started_at > now() - interval '24 hours') as abandoned_batches_last_24h,
        coalesce(sum(rows_quarantined) filter (where started_at > now() - interval '24 hours'), 0) as rows_quarantined_last_24h
    from batches
    group by source_system, entity
),

last_batch as (
    select batch_id, batch_status, error_message
    from batches
),

gl_lines as (
    select max(posting_date) as latest_data_date from {{ ref('stg_gl__lines') }}
),

data_periods as (
    select 'gl' as source_system, entity, gl_lines.latest_data_date
    from (values ('lines'), ('stream')) as entities (entity)
    cross join gl_lines
    union all
    select 'eia', series_id, max(price_date)
    from {{ ref('stg_eia__prices') }}
    where price is not null
    group by series_id
    union all
    -- a production month is covered through its last day
    select 'eia', series_id, (max(production_month_start) + interval '1 month - 1 day')::date
    from {{ ref('stg_eia__production') }}
    where production_mbbl is not null
    group by series_id
)

select
    per_entity.source_system as source_system,
    per_entity.entity as entity,
    per_entity.last_batch_id::bigint as last_batch_id,
    last_batch.batch_status as last_batch_status,
    last_batch.error_message as last_error_message,
    per_entity.last_success_at as last_success_at,
    (extract(epoch from now() - per_entity.last_success_at) / 3600)::numeric(12, 2) as hours_since_last_success,
    data_periods.latest_data_date as latest_data_date,
    per_entity.batches_last_24h::integer as batches_last_24h,
    per_entity.failed_batches_last_24h::integer as failed_batches_last_24h,
    per_entity.abandoned_batches_last_24h::integer as abandoned_batches_last_24h,
    per_entity.rows_quarantined_last_24h::integer as rows_quarantined_last_24h,
    now()::timestamptz as measured_at
from per_entity
left join last_batch on per_entity.last_batch_id = last_batch.batch_id
left join data_periods
    on per_entity.source_system = data_periods.source_system
    and per_entity.entity = data_periods.entity
