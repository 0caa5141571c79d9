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
    measures.well_id as well_id,
    measures.activity_month as activity_month,
    wells.basin as basin,
    wells.state_code as state_code,
    measures.oil_bbl as oil_bbl,
    measures.gas_mcf as gas_mcf,
    measures.ngl_bbl as ngl_bbl,
    -- rounded where a division makes a long fraction (BOE, per-BOE and per-day figures)
    measures.net_boe::numeric(18, 4) as net_boe,
    (measures.net_boe / extract(day from measures.activity_month + interval '1 month - 1 day'))::numeric(18, 4) as net_boe_per_day,
    measures.oil_revenue as oil_revenue,
    measures.gas_revenue as gas_revenue,
    measures.ngl_revenue as ngl_revenue,
    measures.net_revenue as net_revenue,
    measures.production_taxes as production_taxes,
    measures.transportation as transportation,
    measures.loe as loe,
    measures.overhead as overhead,
    measures.dda as dda,
    measures.netback as netback,
    (measures.netback - measures.overhead - measures.dda)::numeric(18, 2) as operating_income,
    {{ safe_divide('measures.netback', 'measures.net_boe') }}::numeric(18, 4) as netback_per_boe,
    {{ safe_divide('measures.loe', 'measures.net_boe') }}::numeric(18, 4) as loe_per_boe,
    coalesce(completeness.is_complete_month, false) as is_complete_month
from measures
left join wells on measures.well_id = wells.well_id
left join {{ ref('fct_month_completeness') }} as completeness
    on measures.activity_month = completeness.accounting_month
