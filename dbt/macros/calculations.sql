{#
  The project's business definitions, written once and used by every model (and unit-tested
  through the models that use them). See README.md "Definitions".
#}

{# Barrels of oil equivalent: oil bbl + NGL bbl + gas mcf / 6 (6 mcf of gas = 1 bbl). #}
{% macro boe(oil_bbl, gas_mcf, ngl_bbl) -%}
    (coalesce({{ oil_bbl }}, 0) + coalesce({{ ngl_bbl }}, 0) + coalesce({{ gas_mcf }}, 0) / 6.0)
{%- endmacro %}

{# Division that yields NULL instead of failing (or inventing a number) when the divisor is 0 or NULL. #}
{% macro safe_divide(numerator, denominator) -%}
    (case when {{ denominator }} is null or {{ denominator }} = 0 then null
          else ({{ numerator }})::numeric / ({{ denominator }}) end)
{%- endmacro %}

{# EIA reports state crude production in thousand barrels (MBBL): x 1,000 = bbl. #}
{% macro mbbl_to_bbl(mbbl) -%}
    (({{ mbbl }}) * 1000)
{%- endmacro %}

{# 'YYYY-MM' text -> first day of that month. #}
{% macro month_start(yyyy_mm) -%}
    to_date({{ yyyy_mm }} || '-01', 'YYYY-MM-DD')
{%- endmacro %}

{#
  Reporting class of an account, from its category and type: revenue, production_tax,
  transportation, loe, overhead, dda, capex, other_revenue, other_expense or balance_sheet.
#}
{% macro account_class(category, account_type) -%}
    case
        when {{ category }} in ('revenue_oil', 'revenue_gas', 'revenue_ngl') then 'revenue'
        when {{ category }} in ('severance_tax', 'ad_valorem_tax') then 'production_tax'
        when {{ category }} = 'gathering_transportation' then 'transportation'
        when {{ category }} = 'loe' then 'loe'
        when {{ category }} = 'copas_overhead' then 'overhead'
        when {{ category }} = 'dda' then 'dda'
        when {{ category }} in ('idc', 'icc_equipment', 'wells_in_progress', 'oil_gas_properties') then 'capex'
        when {{ account_type }} = 'revenue' then 'other_revenue'
        when {{ account_type }} = 'expense' then 'other_expense'
        else 'balance_sheet'
    end
{%- endmacro %}
