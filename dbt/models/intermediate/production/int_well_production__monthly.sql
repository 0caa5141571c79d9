-- One row per well and activity month (the production month where a line carries one, otherwise
-- its accounting month): the company's net volumes from revenue lines and its net amounts by
-- account class. Volumes are signed like their revenue line (a debit to revenue reverses volume).
-- Reads the fact, not the enriched view: the follower commits while dbt builds, and every GL
-- model of a build must hold the same lines as fct_gl_lines (which waits for running batches)
-- or the P&L stops reconciling to it (decisions.md, ADR 35).
with lines as (
    select * from {{ ref('fct_gl_lines') }}
    where well_id is not null
),

classified as (
    select
        well_id,
        activity_month,
        account_class,
        product,
        -- natural sign: revenue as credit - debit, everything else as debit - credit
        case when account_class in ('revenue', 'other_revenue') then -signed_amount else signed_amount end as amount,
        case
            when account_class = 'revenue' and volume is not null
                then case when credit > 0 then volume else -volume end
        end as net_volume
    from lines
)

select
    well_id,
    activity_month,
    coalesce(sum(net_volume) filter (where product = 'oil'), 0) as oil_bbl,
    coalesce(sum(net_volume) filter (where product = 'gas'), 0) as gas_mcf,
    coalesce(sum(net_volume) filter (where product = 'ngl'), 0) as ngl_bbl,
    coalesce(sum(amount) filter (where account_class = 'revenue' and product = 'oil'), 0) as oil_revenue,
    coalesce(sum(amount) filter (where account_class = 'revenue' and product = 'gas'), 0) as gas_revenue,
    coalesce(sum(amount) filter (where account_class = 'revenue' and product = 'ngl'), 0) as ngl_revenue,
    coalesce(sum(amount) filter (where account_class = 'revenue'), 0) as net_revenue,
    coalesce(sum(amount) filter (where account_class = 'production_tax'), 0) as production_taxes,
    coalesce(sum(amount) filter (where account_class = 'transportation'), 0) as transportation,
    coalesce(sum(amount) filter (where account_class = 'loe'), 0) as loe,
    coalesce(sum(amount) filter (where account_class = 'overhead'), 0) as overhead,
    coalesce(sum(amount) filter (where account_class = 'dda'), 0) as dda,
    coalesce(sum(amount) filter (where account_class = 'capex'), 0) as capex
from classified
group by well_id, activity_month
