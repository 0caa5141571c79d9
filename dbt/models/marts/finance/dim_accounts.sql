-- One row per GL account with its reporting class.
select
    account_number,
    account_name,
    account_type,
    account_category,
    ({{ account_class('account_category', 'account_type') }})::text as account_class,
    normal_balance,
    (account_type in ('revenue', 'expense'))::boolean as is_income_statement
from {{ ref('stg_gl__accounts') }}
