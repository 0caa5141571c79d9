-- One row per GL account with its reporting class.
select
    account_number::text as account_number,
    account_name::text as account_name,
    account_type::text as account_type,
    account_category::text as account_category,
    ({{ account_class('account_category', 'account_type') }})::text as account_class,
    normal_balance::text as normal_balance,
    (account_type in ('revenue', 'expense'))::boolean as is_income_statement
from {{ ref('stg_gl__accounts') }}
