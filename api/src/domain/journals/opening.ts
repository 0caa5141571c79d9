import type { Account } from '../accounts.ts';
import { ACCOUNTS } from '../accounts.ts';
import { shareOf } from '../money.ts';
import { companyNetBoe } from '../production.ts';
import {
  dayInMonth,
  dayOfMonth,
  isoDate,
  monthEnd,
  monthOfDay,
  monthStart,
} from '../../generator/calendar.ts';
import { PAYMENT_TERMS_DAYS } from './ap.ts';
import { CAPITAL, completedWellNet } from './completions.ts';
import type { LedgerContext } from './context.ts';
import { OWNER_CHECK_DAY, SEVERANCE_REMITTANCE_DAY } from './disbursements.ts';
import type { JournalDraft, LineDraft } from './draft.ts';
import { credit, debit, journal } from './draft.ts';
import { invoicesFor } from '../costs.ts';
import { jibBillingDay, jibJournal, jibReceiptDay, wellMonthCosts } from './jib.ts';
import { accrualLines, revenueActuals } from './revenue.ts';

/**
 * The opening trial balance on the first day of the history: what the books held the evening
 * before, so every balance-sheet account carries the sign a controller expects from the first
 * month end on. Each balance is recomputed from the same sub-ledger functions that book the
 * flows clearing it inside the window (unpaid invoices, undistributed remittances, unremitted
 * tax, open JIB, an accrual reversed on day 1, capital in progress), except the long-lived
 * asset balances: proved properties at the company's share of its wells' AFE budgets and
 * accumulated DD&A at their units-of-production history. Retained earnings balance the journal.
 */
export const OPENING_KEY = 'opening-balance';

/** Operating cash held at the start, as months of the company's gross AP spend (a revolver would cover a dip). */
const CASH_MONTHS_OF_SPEND = 3;
/** Accumulated DD&A never exceeds this share of a well's cost (net book value stays positive). */
const MAX_DEPLETED = 0.9;

function sumAccount(drafts: readonly JournalDraft[], account: Account): number {
  let cents = 0;
  for (const d of drafts) for (const l of d.lines) if (l.account === account) cents += l.credit - l.debit;
  return cents;
}

export function openingBalance(ctx: LedgerContext, start: number): JournalDraft | null {
  const lines: LineDraft[] = [];
  const startMonth = monthOfDay(start);

  // Accounts payable: invoices of the 30 days before the start, paid inside the window.
  let payable = 0;
  for (let day = start - PAYMENT_TERMS_DAYS; day < start; day++)
    for (const well of ctx.wells)
      for (const inv of invoicesFor(ctx, well, ctx.afesByWell.get(well.index) ?? [], day))
        payable += inv.totalCents;
  lines.push(credit(ACCOUNTS.accountsPayable, payable));

  // Revenue payable: remittances received this month before the start, distributed on the 28th.
  // Production taxes payable: severance withheld on remittances received last month (remitted
  // on the 25th) and this month before the start.
  const received = (from: number) => {
    const drafts: JournalDraft[] = [];
    for (let day = from; day < start; day++) drafts.push(...revenueActuals(ctx, day));
    return drafts;
  };
  const thisMonth = received(monthStart(startMonth));
  if (start <= dayInMonth(startMonth, OWNER_CHECK_DAY))
    lines.push(credit(ACCOUNTS.revenuePayable, sumAccount(thisMonth, ACCOUNTS.revenuePayable)));
  let taxPayable = sumAccount(thisMonth, ACCOUNTS.severancePayable);
  if (start <= dayInMonth(startMonth, SEVERANCE_REMITTANCE_DAY)) {
    const lastMonth: JournalDraft[] = [];
    for (let day = monthStart(startMonth - 1); day < monthStart(startMonth); day++)
      lastMonth.push(...revenueActuals(ctx, day));
    taxPayable += sumAccount(lastMonth, ACCOUNTS.severancePayable);
  }

  // A history starting on the 1st reverses an accrual it does not hold: open it here.
  if (dayOfMonth(start) === 1) {
    for (const well of ctx.wells) {
      if (well.firstProductionDay > monthEnd(startMonth - 1)) continue;
      const accrual = accrualLines(ctx, well, startMonth - 1);
      const ar = accrual.filter((l) => l.account === ACCOUNTS.arSales).reduce((s, l) => s + l.debit, 0);
      taxPayable += accrual
        .filter((l) => l.account === ACCOUNTS.severancePayable)
        .reduce((s, l) => s + l.credit, 0);
      lines.push(debit(ACCOUNTS.arSales, ar, { wellId: well.id }));
    }
  }
  lines.push(credit(ACCOUNTS.severancePayable, taxPayable));

  // JIB receivables: bills sent before the start that partners pay inside the window.
  for (const ownerId of ctx.partnerWells.keys()) {
    for (const month of [startMonth - 1, startMonth - 2, startMonth - 3]) {
      if (jibBillingDay(month) >= start || jibReceiptDay(ctx.seed, ownerId, month) < start) continue;
      const bill = jibJournal(ctx, ownerId, month);
      const first = bill?.lines[0];
      if (first) lines.push(debit(ACCOUNTS.arJib, first.debit, { jibNumber: first.jibNumber, ownerId }));
    }
  }

  // Capital: wells in progress per AFE (gross spent before the start, less partners' shares
  // billed before it, less what a completion before it moved out), proved properties and
  // accumulated DD&A of the wells producing before the start.
  let proved = 0;
  let depleted = 0;
  for (const well of ctx.wells) {
    const afes = (ctx.afesByWell.get(well.index) ?? []).filter((a) => a.type !== 'workover');
    if (afes.length === 0 || Math.min(...afes.map((a) => a.startDay)) >= start) continue;
    const recent = Math.max(...afes.map((a) => jibBillingDay(monthOfDay(a.endDay)))) >= start;
    const completed = well.firstProductionDay < start;
    const cost = afes.reduce((s, a) => s + a.grossBudgetCents, 0);
    const wellProved = completed ? shareOf(cost, well.companyWiUnits) : 0;
    if (recent || !completed) {
      const partners = well.interests.filter(
        (i) => i.type === 'WI' && i.ownerId !== well.interests[0]?.ownerId,
      );
      const wip = new Map<string, { account: Account; afe: string; cents: number }>();
      const add = (account: Account, afe: string, cents: number) => {
        const key = `${account.number}|${afe}`;
        const entry = wip.get(key) ?? { account, afe, cents: 0 };
        entry.cents += cents;
        wip.set(key, entry);
      };
      const firstMonth = monthOfDay(Math.min(...afes.map((a) => a.startDay)));
      for (let month = firstMonth; monthStart(month) < start; month++) {
        const billed = jibBillingDay(month) < start;
        for (const bucket of wellMonthCosts(ctx, well, month)) {
          if (!CAPITAL.has(bucket.account) || !bucket.afe) continue;
          if (billed) {
            add(bucket.account, bucket.afe.number, bucket.cents);
            for (const p of partners)
              add(bucket.account, bucket.afe.number, -shareOf(bucket.cents, p.wiUnits ?? 0));
          }
        }
        // a month cut by the start: its days before the start, not yet billed
        if (!billed)
          for (let day = monthStart(month); day < Math.min(start, monthEnd(month) + 1); day++)
            for (const inv of invoicesFor(ctx, well, afes, day))
              for (const l of inv.lines)
                if (CAPITAL.has(l.account) && l.afe) add(l.account, l.afe.number, l.cents);
      }
      if (completed) for (const t of completedWellNet(ctx, well)) add(t.account, t.afe.number, -t.cents);
      for (const { account, afe, cents } of wip.values())
        lines.push(debit(account, cents, { wellId: well.id, afeNumber: afe }));
    }
    if (!completed) continue;
    proved += wellProved;
    let dda = 0;
    // DD&A is booked at each month end: the start month's is inside the window
    for (
      let month = monthOfDay(well.firstProductionDay);
      month < startMonth || (month === startMonth && monthEnd(month) < start);
      month++
    )
      dda += Math.round(companyNetBoe(ctx.seed, well, month) * well.ddaRatePerBoe * 100);
    depleted += Math.min(dda, Math.round(wellProved * MAX_DEPLETED));
  }
  lines.push(debit(ACCOUNTS.provedProperties, proved), credit(ACCOUNTS.accumulatedDda, depleted));

  // Cash: a few months of spend on hand.
  lines.push(debit(ACCOUNTS.cash, payable * CASH_MONTHS_OF_SPEND));

  const net = lines.reduce((s, l) => s + l.debit - l.credit, 0);
  lines.push(credit(ACCOUNTS.retainedEarnings, net));
  return journal({
    key: OPENING_KEY,
    source: 'gl',
    description: `Opening balances at ${isoDate(start)} (trial balance carried forward)`,
    reverses: null,
    lines,
  });
}
