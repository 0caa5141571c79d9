-- A reversal journal mirrors the journal it reverses: per account, its net amount is the exact
-- opposite. Returns accounts where a reversal and its original do not net to zero. A reversal
-- whose original lies outside the loaded window is not a mismatch: it is reported, as a warning,
-- by assert_reversed_journals_are_loaded.
with reversals as (
    select distinct journal_id, reverses_journal_id
    from {{ ref('fct_gl_lines') }}
    where reverses_journal_id is not null
      and reverses_journal_id in (select journal_id from {{ ref('fct_gl_lines') }})
),

pairs as (
    select reversals.journal_id as reversal_journal_id, lines.account_number, sum(lines.signed_amount) as net_amount
    from reversals
    inner join {{ ref('fct_gl_lines') }} as lines
        on lines.journal_id in (reversals.journal_id, reversals.reverses_journal_id)
    group by reversals.journal_id, lines.account_number
)

select * from pairs where net_amount <> 0
