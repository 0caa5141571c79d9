-- One row per state (and 'US' for the whole company) and production month: the oil the company
-- operates, gross (8/8ths: the well's whole stream, as EIA counts it), against EIA's field
-- production for the state (MBBL x 1,000 = bbl), with the company's net (after royalties and
-- partners) beside it. Gross = net / the company's net revenue interest in the well. Months EIA
-- has not published yet keep their row with NULL EIA fields, status 'pending' and the latest
-- EIA month available for that state; a month before that which EIA left out is 'missing'.
with company_nri as (
    select interests.well_id, sum(interests.revenue_interest) as net_revenue_interest
    from {{ ref('stg_gl__well_interests') }} as interests
    inner join {{ ref('stg_gl__owners') }} as owners on interests.owner_id = owners.owner_id
    where owners.owner_type = 'company'
    group by interests.well_id
),

company as (
    select
        wells.state_code,
        monthly.activity_month as production_month,
        sum(monthly.oil_bbl) as company_oil_bbl,
        sum({{ safe_divide('monthly.oil_bbl', 'company_nri.net_revenue_interest') }}) as gross_oil_bbl
    from {{ ref('int_well_production__monthly') }} as monthly
    inner join {{ ref('stg_gl__wells') }} as wells on monthly.well_id = wells.well_id
    left join company_nri on monthly.well_id = company_nri.well_id
    group by wells.state_code, monthly.activity_month
    having sum(monthly.oil_bbl) <> 0
),

company_with_us as (
    select * from company
    union all
    select 'US', production_month, sum(company_oil_bbl), sum(gross_oil_bbl) from company group by production_month
),

eia as (
    select * from {{ ref('stg_eia__production') }}
    where production_mbbl is not null
),

latest as (
    select state_code, max(production_month_start) as latest_eia_month
    from eia
    group by state_code
)

select
    company_with_us.state_code as state_code,
    company_with_us.production_month as production_month,
    company_with_us.company_oil_bbl,
    company_with_us.gross_oil_bbl::numeric(18, 4) as gross_oil_bbl,
    (company_with_us.gross_oil_bbl / extract(day from company_with_us.production_month + interval '1 month - 1 day')) ::numeric(18, 4) as gross_oil_bbl_per_day,
    eia.production_mbbl as eia_production_mbbl,
    {{ mbbl_to_bbl('eia.production_mbbl') }} as eia_production_bbl,
    {{ safe_divide('company_with_us.gross_oil_bbl', mbbl_to_bbl('eia.production_mbbl')) }}::numeric(18, 10) as company_share_of_eia,
    (case
        when eia.production_mbbl is not null then 'available'
        when latest.latest_eia_month is null or company_with_us.production_month > latest.latest_eia_month then 'pending'
        else 'missing'
    end)::text as eia_status,
    latest.latest_eia_month as latest_eia_month,
    coalesce(completeness.is_complete_month, false) as is_complete_month
from company_with_us
left join eia
    on company_with_us.state_code = eia.state_code
    and company_with_us.production_month = eia.production_month_start
left join latest on company_with_us.state_code = latest.state_code
left join {{ ref('fct_month_completeness') }} as completeness
    on company_with_us.production_month = completeness.accounting_month
