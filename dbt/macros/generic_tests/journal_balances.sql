{#
  Every journal balances: per journal, sum(debit) = sum(credit), to the cent.
  Returns one row per unbalanced journal.
#}
{% test journal_balances(model, journal_column='journal_id', debit_column='debit', credit_column='credit') %}
select
    {{ journal_column }} as journal,
    sum({{ debit_column }}) as total_debit,
    sum({{ credit_column }}) as total_credit
from {{ model }}
group by {{ journal_column }}
having sum({{ debit_column }}) <> sum({{ credit_column }})
{% endtest %}
