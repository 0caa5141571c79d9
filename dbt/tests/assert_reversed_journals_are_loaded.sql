{{ config(severity='warn') }}
-- Reversals whose original journal is not loaded: expected when the loaded window starts on the
-- 1st (the accrual it reverses was posted the day before), so a warning with how many and the
-- earliest, not an error. One row when there are any.
-- NOT EXISTS, not NOT IN: NOT IN over a subquery is hashed only when the subquery fits in
-- work_mem; at PostgreSQL's default 4MB a year of lines does not, and the test turns quadratic
-- (over 17 minutes on 1M lines on PostgreSQL 15, where this anti-join takes seconds).
with orphans as (
    select distinct r.journal_id, r.posting_date
    from {{ ref('fct_gl_lines') }} as r
    where r.reverses_journal_id is not null
      and not exists (
          select 1 from {{ ref('fct_gl_lines') }} as o where o.journal_id = r.reverses_journal_id
      )
)

select count(*) as orphan_reversals, min(posting_date) as earliest_posting_date, max(posting_date) as latest_posting_date
from orphans
having count(*) > 0
