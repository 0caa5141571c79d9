-- Contract rule: revenue-account lines carry the production month and a product, so realized
-- prices can be aligned by production month.
select line_id, journal_id, account_number, production_month, product
from {{ ref('fct_gl_lines') }}
where account_class = 'revenue'
  and (production_month is null or product is null)
