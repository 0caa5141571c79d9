-- One row per benchmark and calendar day between its first and last published trading day.
-- Weekends and holidays carry the previous trading day's price, at most
-- var('benchmark_fill_max_days') days back; a longer gap (or a day EIA left blank) stays NULL.
{% set max_fill = var('benchmark_fill_max_days') %}

with prices as (
    select * from {{ ref('stg_eia__prices') }}
),

bounds as (
    select series_id, benchmark, min(price_date) as first_date, max(price_date) as last_date
    from prices
    where price is not null
    group by series_id, benchmark
),

calendar as (
    select
        bounds.series_id,
        bounds.benchmark,
        day::date as price_date
    from bounds
    cross join lateral generate_series(bounds.first_date, bounds.last_date, interval '1 day') as day
),

with_last_trading_day as (
    select
        calendar.series_id,
        calendar.benchmark,
        calendar.price_date,
        max(prices.price_date) over (
            partition by calendar.series_id
            order by calendar.price_date
            rows between unbounded preceding and current row
        ) as source_trading_date
    from calendar
    left join prices
        on calendar.series_id = prices.series_id
        and calendar.price_date = prices.price_date
        and prices.price is not null
)

select
    filled.series_id,
    filled.benchmark,
    filled.price_date,
    case when filled.price_date - filled.source_trading_date <= {{ max_fill }} then prices.price end as price,
    prices.price_units,
    case when filled.price_date - filled.source_trading_date <= {{ max_fill }} then filled.source_trading_date end as source_trading_date,
    filled.price_date - filled.source_trading_date as days_since_trading_day,
    filled.price_date <> filled.source_trading_date as is_filled
from with_last_trading_day as filled
left join prices
    on filled.series_id = prices.series_id
    and filled.source_trading_date = prices.price_date
