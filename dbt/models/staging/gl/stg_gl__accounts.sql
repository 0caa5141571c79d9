-- Chart of accounts, typed.
with source as (
    select * from {{ source('gl', 'gl_accounts') }}
)

select
    account_number,
    payload ->> 'name' as account_name,
    payload ->> 'account_type' as account_type,
    payload ->> 'category' as account_category,
    payload ->> 'normal_balance' as normal_balance,
    payload_hash,
    batch_id,
    ingested_at,
    updated_at
from source
