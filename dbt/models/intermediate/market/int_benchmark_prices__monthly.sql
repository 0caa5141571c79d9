-- One row per benchmark and calendar month it has any trading day in: the average of the month's
-- trading-day prices once the month is complete (EIA has published its last weekday), else NULL
-- ('pending'), with the latest trading day published so far.
with prices as (
    select * from {{ ref('stg_eia__prices') }}
    where price is not null
),

latest as (
    select series_id, max(price_date) as latest_price_date
    from prices
    group by series_id
),

monthly as (
    select
        series_id,
        benchmark,
        date_trunc('month', price_date)::date as price_month,
        avg(price) as average_price,
        count(*) as trading_days,
        max(price_units) as price_units
    from prices
    group by series_id, benchmark, date_trunc('month', price_date)
),

with_month_end as (
    select
        monthly.*,
        latest.latest_price_date,
        -- last Monday-Friday of the month
        (
            select max(day)::date
            from generate_series(monthly.price_month, (monthly.price_month + interval '1 month - 1 day'), interval '1 day') as day
            where extract(isodow from day) < 6
        ) as last_weekday
    from monthly
    inner join latest on monthly.series_id = latest.series_id
)

select
    series_id,
    benchmark,
    price_month,
    case when latest_price_date >= last_weekday then average_price end as average_price,
    trading_days,
    price_units,
    case when latest_price_date >= last_weekday then 'available' else 'pending' end as benchmark_status,
    latest_price_date
from with_month_end
