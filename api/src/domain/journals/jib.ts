import type { Account } from '../accounts.ts';
import { ACCOUNTS } from '../accounts.ts';
import type { Afe } from '../afes.ts';
import { invoicesFor } from '../costs.ts';
import { shareOf } from '../money.ts';
import { Rng } from '../prng.ts';
import { producedInMonth } from '../production.ts';
import type { Well } from '../wells.ts';
import type { MonthIndex } from '../../generator/calendar.ts';
import { dayInMonth, isoMonth, monthEnd, monthOfDay, monthStart } from '../../generator/calendar.ts';
import type { LedgerContext } from './context.ts';
import type { JournalDraft, LineDraft } from './draft.ts';
import { credit, debit, journal } from './draft.ts';

/**
 * Joint interest billing: once a month the operator bills each non-operating partner its
 * working-interest share of the month's costs on each well (LOE, capital by AFE, taxes) plus
 * COPAS overhead at fixed monthly rates per well. The partner's share leaves the cost accounts
 * (credit) and becomes a receivable from the partner (debit AR-JIB); the partner pays about a
 * month later.
 */
export const COPAS_RATES = { producingWellMonth: 950_00, drillingWellMonth: 9_500_00 };
export const JIB_BILLING_DAY = 10;

interface CostBucket {
  account: Account;
  afe: Afe | null;
  cents: number;
}

const costCache = new Map<string, CostBucket[]>();
const COST_CACHE_LIMIT = 50_000;

/** A well's gross costs for a month by account and AFE, overhead included. */
export function wellMonthCosts(ctx: LedgerContext, well: Well, month: MonthIndex): CostBucket[] {
  const cacheKey = `${ctx.pricing.key}:${well.id}:${month}`;
  const hit = costCache.get(cacheKey);
  if (hit) return hit;
  const afes = ctx.afesByWell.get(well.index) ?? [];
  const buckets = new Map<string, CostBucket>();
  const add = (account: Account, afe: Afe | null, cents: number) => {
    const key = `${account.number}|${afe?.number ?? ''}`;
    const bucket = buckets.get(key);
    if (bucket) bucket.cents += cents;
    else buckets.set(key, { account, afe, cents });
  };
  for (let day = monthStart(month); day <= monthEnd(month); day++) {
    for (const inv of invoicesFor(ctx, well, afes, day))
      for (const l of inv.lines) add(l.account, l.afe, l.cents);
  }
  const drilling = afes.some(
    (a) => a.type === 'drill' && a.startDay <= monthEnd(month) && a.endDay >= monthStart(month),
  );
  if (drilling) add(ACCOUNTS.overhead, null, COPAS_RATES.drillingWellMonth);
  else if (producedInMonth(well, month)) add(ACCOUNTS.overhead, null, COPAS_RATES.producingWellMonth);
  const result = [...buckets.values()];
  if (costCache.size >= COST_CACHE_LIMIT) costCache.clear();
  costCache.set(cacheKey, result);
  return result;
}

export function jibNumber(ownerId: string, month: MonthIndex): string {
  return `JIB-${isoMonth(month).replace('-', '')}-${ownerId}`;
}

export function jibBillingDay(month: MonthIndex): number {
  return dayInMonth(month + 1, JIB_BILLING_DAY);
}

export function jibReceiptDay(seed: number, ownerId: string, month: MonthIndex): number {
  return jibBillingDay(month) + new Rng(seed, 'jib-receipt', ownerId, month).int(25, 40);
}

export function jibJournal(ctx: LedgerContext, ownerId: string, month: MonthIndex): JournalDraft | null {
  const number = jibNumber(ownerId, month);
  const lines: LineDraft[] = [];
  for (const { well, wiUnits } of ctx.partnerWells.get(ownerId) ?? []) {
    for (const bucket of wellMonthCosts(ctx, well, month)) {
      const cents = shareOf(bucket.cents, wiUnits);
      lines.push(
        credit(bucket.account, cents, {
          wellId: well.id,
          afeNumber: bucket.afe?.number ?? null,
          jibNumber: number,
          ownerId,
        }),
      );
    }
  }
  const total = lines.reduce((s, l) => s + l.credit, 0);
  return journal({
    key: `jib:${number}`,
    source: 'jib',
    description: `Joint interest billing ${isoMonth(month)} - ${ownerId}`,
    reverses: null,
    lines: [debit(ACCOUNTS.arJib, total, { jibNumber: number, ownerId }), ...lines],
  });
}

export function jibBillings(ctx: LedgerContext, day: number): JournalDraft[] {
  const month = monthOfDay(day) - 1;
  if (day !== jibBillingDay(month)) return [];
  const out: JournalDraft[] = [];
  for (const ownerId of ctx.partnerWells.keys()) {
    const j = jibJournal(ctx, ownerId, month);
    if (j) out.push(j);
  }
  return out;
}

/** Partners pay their JIB 25 to 40 days after it is billed. */
export function jibReceipts(ctx: LedgerContext, day: number): JournalDraft[] {
  const out: JournalDraft[] = [];
  for (const ownerId of ctx.partnerWells.keys()) {
    for (const month of [monthOfDay(day) - 2, monthOfDay(day) - 3]) {
      if (jibReceiptDay(ctx.seed, ownerId, month) !== day) continue;
      const billed = jibJournal(ctx, ownerId, month);
      if (!billed) continue;
      const total = billed.lines[0]?.debit ?? 0;
      const number = jibNumber(ownerId, month);
      const j = journal({
        key: `jib-receipt:${number}`,
        source: 'cash',
        description: `JIB payment received ${number}`,
        reverses: null,
        lines: [
          debit(ACCOUNTS.cash, total, { jibNumber: number, ownerId }),
          credit(ACCOUNTS.arJib, total, { jibNumber: number, ownerId }),
        ],
      });
      if (j) out.push(j);
    }
  }
  return out;
}
