-- The well P&L loses nothing: its net revenue, production taxes, transportation and LOE equal
-- the GL's well-level amounts of the same account classes.
with gl as (
    select
        sum(case when account_class = 'revenue' then -signed_amount else 0 end) as net_revenue,
        sum(case when account_class = 'production_tax' then signed_amount else 0 end) as production_taxes,
        sum(case when account_class = 'transportation' then signed_amount else 0 end) as transportation,
        sum(case when account_class = 'loe' then signed_amount else 0 end) as loe
    from {{ ref('fct_gl_lines') }}
    where well_id is not null
),

pnl as (
    select
        coalesce(sum(net_revenue), 0) as net_revenue,
        coalesce(sum(production_taxes), 0) as production_taxes,
        coalesce(sum(transportation), 0) as transportation,
        coalesce(sum(loe), 0) as loe
    from {{ ref('fct_well_pnl_monthly') }}
)

select gl.*, pnl.net_revenue as pnl_net_revenue
from gl cross join pnl
where coalesce(gl.net_revenue, 0) <> pnl.net_revenue
   or coalesce(gl.production_taxes, 0) <> pnl.production_taxes
   or coalesce(gl.transportation, 0) <> pnl.transportation
   or coalesce(gl.loe, 0) <> pnl.loe
