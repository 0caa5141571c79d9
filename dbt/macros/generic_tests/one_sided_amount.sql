{#
  A GL line is one-sided (contract: one of debit and credit is 0.00): neither is negative and they
  are not both non-zero. A 0.00/0.00 line (e.g. a tax line of a tax-exempt well) is allowed.
#}
{% test one_sided_amount(model, debit_column='debit', credit_column='credit') %}
select *
from {{ model }}
where {{ debit_column }} < 0
   or {{ credit_column }} < 0
   or ({{ debit_column }} <> 0 and {{ credit_column }} <> 0)
{% endtest %}
