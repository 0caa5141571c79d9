-- Double entry: for every accounting period, total debits equal total credits.
select accounting_period, sum(debit) as total_debit, sum(credit) as total_credit
from {{ ref('fct_gl_lines') }}
group by accounting_period
having sum(debit) <> sum(credit)
