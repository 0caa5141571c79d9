-- One row per calendar day, from 1 January of the year of the earliest GL posting (or production
-- month) to 31 December of the year of the latest GL posting or EIA benchmark price.
with bounds as (
    select
        least(
            (select min(posting_date) from {{ ref('stg_gl__lines') }}),
            (select min(production_month_start) from {{ ref('stg_gl__lines') }})
        ) as first_date,
        greatest(
            (select max(posting_date) from {{ ref('stg_gl__lines') }}),
            (select max(price_date) from {{ ref('stg_eia__prices') }})
        ) as last_date
),

days as (
    select day::date as date_day
    from bounds
    cross join lateral generate_series(
        date_trunc('year', coalesce(bounds.first_date, current_date)),
        date_trunc('year', coalesce(bounds.last_date, current_date)) + interval '1 year - 1 day',
        interval '1 day'
    ) as day
)

select
    date_day,
    extract(year from date_day)::integer as year_number,
    extract(quarter from date_day)::integer as quarter_number,
    extract(month from date_day)::integer as month_number,
    date_trunc('month', date_day)::date as month_start,
    (date_trunc('month', date_day) + interval '1 month - 1 day')::date as month_end,
    to_char(date_day, 'YYYY-MM')::text as year_month,
    extract(isodow from date_day)::integer as iso_day_of_week,
    trim(to_char(date_day, 'Day'))::text as day_name,
    (extract(isodow from date_day) >= 6)::boolean as is_weekend
from days
