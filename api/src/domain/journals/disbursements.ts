import { ACCOUNTS } from '../accounts.ts';
import type { StateCode } from '../basins.ts';
import { PRODUCTS, producedInMonth } from '../production.ts';
import type { MonthIndex } from '../../generator/calendar.ts';
import { dayInMonth, isoMonth, monthOfDay } from '../../generator/calendar.ts';
import type { LedgerContext } from './context.ts';
import type { JournalDraft } from './draft.ts';
import { credit, debit, journal } from './draft.ts';
import { remittedProductionMonth, settlement } from './revenue.ts';

/**
 * Clearing the liabilities revenue creates. Every remittance of a month arrives by the 27th, so
 * on the 28th the operator pays each owner what it credited them that month (one check or ACH
 * per owner, Dr revenue payable / Cr cash), and on the 25th of the next month it remits the
 * severance tax withheld on that month's sales to each state (Dr production taxes payable /
 * Cr cash). Both are recomputed from the same settlements the revenue journals booked, so the
 * payables clear to the cent.
 */
export const OWNER_CHECK_DAY = 28;
export const SEVERANCE_REMITTANCE_DAY = 25;

interface MonthTotals {
  owners: Map<string, number>;
  states: Map<StateCode, number>;
}

const cache = new Map<string, MonthTotals>();

/** What the remittances received in `month` credited to each owner and each state. */
function receivedInMonth(ctx: LedgerContext, month: MonthIndex): MonthTotals {
  const key = `${ctx.pricing.key}:${ctx.wells.length}:${month}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const totals: MonthTotals = { owners: new Map(), states: new Map() };
  for (const well of ctx.wells) {
    for (const product of PRODUCTS) {
      const productionMonth = remittedProductionMonth(product, month);
      if (!producedInMonth(well, productionMonth)) continue;
      const settled = settlement(ctx, well, product, productionMonth);
      if (!settled) continue;
      for (const o of settled.owners)
        totals.owners.set(o.ownerId, (totals.owners.get(o.ownerId) ?? 0) + o.grossCents - o.taxCents);
      const state = well.basin.state;
      totals.states.set(state, (totals.states.get(state) ?? 0) + settled.sale.severanceCents);
    }
  }
  if (cache.size > 24) cache.clear();
  cache.set(key, totals);
  return totals;
}

export function ownerDisbursements(ctx: LedgerContext, day: number): JournalDraft[] {
  const month = monthOfDay(day);
  if (day !== dayInMonth(month, OWNER_CHECK_DAY)) return [];
  const out: JournalDraft[] = [];
  for (const [ownerId, cents] of receivedInMonth(ctx, month).owners) {
    const j = journal({
      key: `owner-pay:${ownerId}:${isoMonth(month)}`,
      source: 'cash',
      description: `Revenue distribution ${isoMonth(month)} - ${ownerId}`,
      reverses: null,
      lines: [debit(ACCOUNTS.revenuePayable, cents, { ownerId }), credit(ACCOUNTS.cash, cents, { ownerId })],
    });
    if (j) out.push(j);
  }
  return out;
}

export function severanceRemittances(ctx: LedgerContext, day: number): JournalDraft[] {
  const month = monthOfDay(day) - 1;
  if (day !== dayInMonth(month + 1, SEVERANCE_REMITTANCE_DAY)) return [];
  const out: JournalDraft[] = [];
  for (const [state, cents] of receivedInMonth(ctx, month).states) {
    const j = journal({
      key: `severance-remit:${state}:${isoMonth(month)}`,
      source: 'cash',
      description: `Production tax remittance to ${state} for sales received in ${isoMonth(month)}`,
      reverses: null,
      lines: [debit(ACCOUNTS.severancePayable, cents), credit(ACCOUNTS.cash, cents)],
    });
    if (j) out.push(j);
  }
  return out;
}
