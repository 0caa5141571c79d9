-- One row per basin, production month and product (oil, gas): the company's realized price
-- (net revenue / net volume, aligned by production month) vs the benchmark's monthly average
-- (oil: WTI Cushing $/bbl; gas: Henry Hub $/MMBtu against $/mcf realized, so the differential
-- includes the heat content). Months EIA has not
-- completed yet keep their row with NULL benchmark fields, status 'pending' and the latest
-- benchmark date published.
with volumes as (
    select
        wells.basin,
        monthly.activity_month as production_month,
        product.product,
        sum(case product.product when 'oil' then monthly.oil_bbl else monthly.gas_mcf end) as net_volume,
        sum(case product.product when 'oil' then monthly.oil_revenue else monthly.gas_revenue end) as net_revenue
    from {{ ref('int_well_production__monthly') }} as monthly
    inner join {{ ref('stg_gl__wells') }} as wells on monthly.well_id = wells.well_id
    cross join (values ('oil'), ('gas')) as product (product)
    group by wells.basin, monthly.activity_month, product.product
),

benchmarks as (
    select * from {{ ref('int_benchmark_prices__monthly') }}
),

latest as (
    select series_id, max(price_date) as latest_price_date
    from {{ ref('stg_eia__prices') }}
    where price is not null
    group by series_id
),

joined as (
    select
        volumes.*,
        case volumes.product when 'oil' then 'RWTC' else 'RNGWHHD' end as benchmark_series_id,
        {{ safe_divide('volumes.net_revenue', 'volumes.net_volume') }} as realized_price
    from volumes
    where volumes.net_volume <> 0
)

select
    joined.basin as basin,
    joined.production_month as production_month,
    joined.product as product,
    (case joined.product when 'oil' then 'bbl' else 'mcf' end)::text as volume_uom,
    joined.net_volume as net_volume,
    joined.net_revenue as net_revenue,
    joined.realized_price::numeric(18, 4) as realized_price,
    joined.benchmark_series_id as benchmark_series_id,
    benchmarks.average_price as benchmark_price,
    (joined.realized_price - benchmarks.average_price)::numeric(18, 4) as differential,
    {{ safe_divide('joined.realized_price', 'benchmarks.average_price') }}::numeric(12, 6) as realized_pct_of_benchmark,
    (case when benchmarks.benchmark_status = 'available' then 'available' else 'pending' end)::text as benchmark_status,
    latest.latest_price_date as latest_benchmark_date,
    coalesce(completeness.is_complete_month, false) as is_complete_month
from joined
left join benchmarks
    on joined.benchmark_series_id = benchmarks.series_id
    and joined.production_month = benchmarks.price_month
left join latest on joined.benchmark_series_id = latest.series_id
left join {{ ref('fct_month_completeness') }} as completeness
    on joined.production_month = completeness.accounting_month
