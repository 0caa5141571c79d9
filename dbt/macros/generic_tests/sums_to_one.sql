{#
  Within each group, the column sums to 1 (within a tolerance), ignoring NULLs; groups where every
  value is NULL are skipped. Used for working and revenue interests of a well.
#}
{% test sums_to_one(model, column_name, group_by, tolerance=0.000001) %}
select
    {{ group_by | join(', ') }},
    sum({{ column_name }}) as total
from {{ model }}
group by {{ group_by | join(', ') }}
having count({{ column_name }}) > 0
   and abs(sum({{ column_name }}) - 1) > {{ tolerance }}
{% endtest %}
