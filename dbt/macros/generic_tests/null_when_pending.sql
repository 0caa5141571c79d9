{#
  EIA publishes with a lag: a row whose benchmark is not yet published ('pending') must carry a
  NULL in the benchmark column (never a stale or partial value); a row whose benchmark is
  'available' must carry a value. status_column holds 'available' or 'pending'.
#}
{% test null_when_pending(model, column_name, status_column) %}
select *
from {{ model }}
where ({{ status_column }} = 'pending' and {{ column_name }} is not null)
   or ({{ status_column }} = 'available' and {{ column_name }} is null)
{% endtest %}
