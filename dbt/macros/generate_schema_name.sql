{#
  Models land in exactly the schema they are configured with (staging, intermediate, marts), not
  dbt's default "<target schema>_<custom schema>": the schemas are created by the migrations,
  owned by energy_transformer, with default privileges for the reporting role attached.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
