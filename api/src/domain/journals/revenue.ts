import { ACCOUNTS, REVENUE_ACCOUNT } from '../accounts.ts';
import type { Product } from '../basins.ts';
import { shareOf } from '../money.ts';
import { COMPANY } from '../owners.ts';
import { Rng } from '../prng.ts';
import { monthlyVolume, monthsOnProduction, PRODUCTS, producedInMonth, UOM } from '../production.ts';
import { severanceCents, severanceRule } from '../severance.ts';
import type { Well } from '../wells.ts';
import type { MonthIndex } from '../../generator/calendar.ts';
import { dayInMonth, dayOfMonth, isoMonth, monthEnd, monthOfDay } from '../../generator/calendar.ts';
import type { LedgerContext } from './context.ts';
import type { JournalDraft, LineDraft } from './draft.ts';
import { credit, debit, journal, swapSides } from './draft.ts';

/**
 * Revenue as an operator books it: the operator sells 100% (8/8ths) of production, receives the
 * purchaser's whole remittance, keeps its own net revenue interest as revenue and owes every other
 * owner their share through revenue payable, after withholding their share of severance tax,
 * which it remits to the state. Between month end and the remittance the company's own share is
 * accrued (estimated volumes at the basin's price for the month) and the accrual is reversed on day 1.
 */
interface Sale {
  volume: number;
  price: number;
  grossCents: number;
  severanceCents: number;
}

const PRODUCT_NAME: Record<Product, string> = { oil: 'Oil', gas: 'Gas', ngl: 'NGL' };

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function sale(
  ctx: LedgerContext,
  well: Well,
  product: Product,
  month: MonthIndex,
  estimate: boolean,
): Sale | null {
  const actual = monthlyVolume(ctx.seed, well, product, month);
  if (actual <= 0) return null;
  const volume = estimate
    ? round2(actual * (1 + new Rng(ctx.seed, 'estimate', well.index, month, product).normal(0, 0.03)))
    : actual;
  const price = estimate
    ? ctx.pricing.basinPrice(well.basin, product, month)
    : ctx.pricing.realisedPrice(well.basin, well.index, product, month);
  const grossCents = Math.round(volume * price * 100);
  const rule = severanceRule(well.basin.state, product, monthsOnProduction(well, month));
  return { volume, price, grossCents, severanceCents: severanceCents(rule, grossCents, volume) };
}

/** Oil is paid about the 20th of the month after production, gas and NGL about the 25th of the second month after. */
export function remittanceDay(seed: number, well: Well, product: Product, month: MonthIndex): number {
  const stream = product === 'oil' ? 'oil' : 'gas';
  const jitter = new Rng(seed, 'remit', well.index, month, stream).int(0, 4);
  return product === 'oil' ? dayInMonth(month + 1, 18 + jitter) : dayInMonth(month + 2, 23 + jitter);
}

export function accrualKey(well: Well, month: MonthIndex): string {
  return `rev-accrual:${well.id}:${isoMonth(month)}`;
}

export function accrualLines(ctx: LedgerContext, well: Well, month: MonthIndex): LineDraft[] {
  const lines: LineDraft[] = [];
  for (const product of PRODUCTS) {
    const s = sale(ctx, well, product, month, true);
    if (!s) continue;
    const gross = shareOf(s.grossCents, well.companyNriUnits);
    const tax = shareOf(s.severanceCents, well.companyNriUnits);
    const tags = {
      wellId: well.id,
      productionMonth: month,
      product,
      volume: round2((s.volume * well.companyNriUnits) / 1e8),
      volumeUom: UOM[product],
      unitPrice: s.price,
    };
    lines.push(
      debit(ACCOUNTS.arSales, gross, tags),
      debit(ACCOUNTS.severance, tax, tags),
      credit(REVENUE_ACCOUNT[product], gross, tags),
      credit(ACCOUNTS.severancePayable, tax, tags),
    );
  }
  return lines;
}

/** Month end: accrue the company's net revenue for the month's estimated sales. */
export function revenueAccruals(ctx: LedgerContext, day: number): JournalDraft[] {
  const month = monthOfDay(day);
  if (day !== monthEnd(month)) return [];
  const out: JournalDraft[] = [];
  for (const well of ctx.wells) {
    if (!producedInMonth(well, month)) continue;
    const j = journal({
      key: accrualKey(well, month),
      source: 'revenue',
      description: `Accrue ${isoMonth(month)} net revenue - ${well.name}`,
      reverses: null,
      lines: accrualLines(ctx, well, month),
    });
    if (j) out.push(j);
  }
  return out;
}

/** Day 1: reverse last month's accrual, so the remittance can be booked in full when it arrives. */
export function revenueReversals(ctx: LedgerContext, day: number): JournalDraft[] {
  if (dayOfMonth(day) !== 1) return [];
  const month = monthOfDay(day) - 1;
  const out: JournalDraft[] = [];
  for (const well of ctx.wells) {
    if (!producedInMonth(well, month)) continue;
    const j = journal({
      key: `rev-reversal:${well.id}:${isoMonth(month)}`,
      source: 'revenue',
      description: `Reverse ${isoMonth(month)} revenue accrual - ${well.name}`,
      reverses: { day: day - 1, key: accrualKey(well, month) },
      lines: accrualLines(ctx, well, month).map(swapSides),
    });
    if (j) out.push(j);
  }
  return out;
}

/** One owner's part of a sale: their share of its value and of the severance tax withheld. */
export interface OwnerShare {
  ownerId: string;
  riUnits: number;
  grossCents: number;
  taxCents: number;
}

/** How a sale is split: each non-company owner's rounded share; the company takes the rest. */
export interface Settlement {
  sale: Sale;
  owners: OwnerShare[];
  companyGrossCents: number;
  companyTaxCents: number;
}

export function settlement(
  ctx: LedgerContext,
  well: Well,
  product: Product,
  month: MonthIndex,
): Settlement | null {
  const s = sale(ctx, well, product, month, false);
  if (!s) return null;
  const owners: OwnerShare[] = [];
  for (const interest of well.interests) {
    if (interest.ownerId === COMPANY.id) continue;
    owners.push({
      ownerId: interest.ownerId,
      riUnits: interest.riUnits,
      grossCents: shareOf(s.grossCents, interest.riUnits),
      taxCents: shareOf(s.severanceCents, interest.riUnits),
    });
  }
  // The company takes whatever the owners' rounded shares leave, so the journal balances exactly.
  const companyGrossCents = s.grossCents - owners.reduce((sum, o) => sum + o.grossCents, 0);
  const companyTaxCents = s.severanceCents - owners.reduce((sum, o) => sum + o.taxCents, 0);
  return { sale: s, owners, companyGrossCents, companyTaxCents };
}

function actualJournal(
  ctx: LedgerContext,
  well: Well,
  product: Product,
  month: MonthIndex,
): JournalDraft | null {
  const settled = settlement(ctx, well, product, month);
  if (!settled) return null;
  const s = settled.sale;
  const base = {
    wellId: well.id,
    productionMonth: month,
    product,
    volumeUom: UOM[product],
    unitPrice: s.price,
  };
  const netVolume = (units: number) => round2((s.volume * units) / 1e8);
  const company = { ...base, ownerId: COMPANY.id, volume: netVolume(well.companyNriUnits) };
  const purchaser = product === 'oil' ? well.basin.purchasers.oil : well.basin.purchasers.gas;
  return journal({
    key: `rev-actual:${well.id}:${isoMonth(month)}:${product}`,
    source: 'revenue',
    description: `${PRODUCT_NAME[product]} sales ${isoMonth(month)} - ${well.name} - remittance from ${purchaser}`,
    reverses: null,
    lines: [
      debit(ACCOUNTS.cash, s.grossCents, { ...base, volume: s.volume }),
      debit(ACCOUNTS.severance, settled.companyTaxCents, company),
      credit(REVENUE_ACCOUNT[product], settled.companyGrossCents, company),
      ...settled.owners.map((o) =>
        credit(ACCOUNTS.revenuePayable, o.grossCents - o.taxCents, {
          ...base,
          ownerId: o.ownerId,
          volume: netVolume(o.riUnits),
        }),
      ),
      credit(ACCOUNTS.severancePayable, s.severanceCents, { ...base, volume: s.volume }),
    ],
  });
}

/** The production month a remittance received in `month` is for. */
export function remittedProductionMonth(product: Product, month: MonthIndex): MonthIndex {
  return product === 'oil' ? month - 1 : month - 2;
}

/** Purchaser remittances received today, each booked gross and distributed to the owners. */
export function revenueActuals(ctx: LedgerContext, day: number): JournalDraft[] {
  const month = monthOfDay(day);
  const out: JournalDraft[] = [];
  for (const well of ctx.wells) {
    for (const product of PRODUCTS) {
      const productionMonth = remittedProductionMonth(product, month);
      if (!producedInMonth(well, productionMonth)) continue;
      if (remittanceDay(ctx.seed, well, product, productionMonth) !== day) continue;
      const j = actualJournal(ctx, well, product, productionMonth);
      if (j) out.push(j);
    }
  }
  return out;
}
