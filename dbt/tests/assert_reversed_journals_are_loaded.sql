{{ config(severity='warn') }}
-- Reversals whose original journal is not loaded: expected when the loaded window starts on the
-- 1st (the accrual it reverses was posted the day before), so a warning with how many and the
-- earliest, not an error. One row when there are any.
with orphans as (
    select distinct journal_id, posting_date
    from {{ ref('fct_gl_lines') }}
    where reverses_journal_id is not null
      and reverses_journal_id not in (select journal_id from {{ ref('fct_gl_lines') }})
)

select count(*) as orphan_reversals, min(posting_date) as earliest_posting_date, max(posting_date) as latest_posting_date
from orphans
having count(*) > 0
