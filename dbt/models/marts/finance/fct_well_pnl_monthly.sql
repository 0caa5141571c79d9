-- One row per well and activity month: the company's net P&L and netback.
-- Netback = net revenue - production taxes - transportation - LOE; per BOE over net BOE.
with monthly as (
    select * from {{ ref('int_well_production__monthly') }}
),

wells as (
    select * from {{ ref('stg_gl__wells') }}
),

measures as (
    select
        monthly.*,
        {{ boe('monthly.oil_bbl', 'monthly.gas_mcf', 'monthly.ngl_bbl') }} as net_boe,
        monthly.net_revenue - monthly.production_taxes - monthly.transportation - monthly.loe as netback
    from monthly
)

select
    measures.well_id::text as well_id,
    measures.activity_month::date as activity_month,
    wells.basin::text as basin,
    wells.state_code::text as state_code,
    measures.oil_bbl::numeric(18, 4) as oil_bbl,
    measures.gas_mcf::numeric(18, 4) as gas_mcf,
    measures.ngl_bbl::numeric(18, 4) as ngl_bbl,
    measures.net_boe::numeric(18, 4) as net_boe,
    measures.oil_revenue::numeric(18, 2) as oil_revenue,
    measures.gas_revenue::numeric(18, 2) as gas_revenue,
    measures.ngl_revenue::numeric(18, 2) as ngl_revenue,
    measures.net_revenue::numeric(18, 2) as net_revenue,
    measures.production_taxes::numeric(18, 2) as production_taxes,
    measures.transportation::numeric(18, 2) as transportation,
    measures.loe::numeric(18, 2) as loe,
    measures.overhead::numeric(18, 2) as overhead,
    measures.dda::numeric(18, 2) as dda,
    measures.netback::numeric(18, 2) as netback,
    (measures.netback - measures.overhead - measures.dda)::numeric(18, 2) as operating_income,
    {{ safe_divide('measures.netback', 'measures.net_boe') }}::numeric(18, 4) as netback_per_boe,
    {{ safe_divide('measures.loe', 'measures.net_boe') }}::numeric(18, 4) as loe_per_boe,
    coalesce(completeness.is_complete_month, false) as is_complete_month
from measures
left join wells on measures.well_id = wells.well_id
left join {{ ref('fct_month_completeness') }} as completeness
    on measures.activity_month = completeness.accounting_month
