import type { Account } from './accounts.ts';
import { ACCOUNTS } from './accounts.ts';
import type { Afe, AfeType } from './afes.ts';
import { CAPEX_VENDORS, LOE_VENDORS } from './names.ts';
import { Rng } from './prng.ts';
import type { Pricing } from './prices.ts';
import { grossBoe, monthlyVolume, monthsOnProduction, PRODUCTS } from './production.ts';
import { adValoremRate, impactFeeCents, IMPACT_FEE } from './severance.ts';
import type { Well } from './wells.ts';
import { dayOfMonth, isoDate, monthLength, monthOfDay, yearOfDay } from '../generator/calendar.ts';

export interface InvoiceLine {
  account: Account;
  cents: number;
  afe: Afe | null;
  memo: string;
}

/** A vendor invoice as entered in accounts payable: always charged to one well. */
export interface Invoice {
  number: string;
  vendor: string;
  well: Well;
  day: number;
  lines: InvoiceLine[];
  totalCents: number;
}

/**
 * Mean LOE invoices per producing well per day. Tuned so the default 300 wells give roughly a
 * million GL lines a year (AP is most of the volume, as in a real operator's ledger); the
 * amounts add up to the well's LOE budget, not to a fixed size per invoice.
 */
export const LOE_INVOICES_PER_WELL_DAY = 3;

/** What pricing a cost needs: ad valorem is assessed on the value of last year's production. */
export interface CostContext {
  seed: number;
  pricing: Pricing;
}

const CAPEX_ACCOUNT: Record<AfeType, Account> = {
  drill: ACCOUNTS.wipIdc,
  complete: ACCOUNTS.wipCompletion,
  facility: ACCOUNTS.wipFacilities,
  workover: ACCOUNTS.loeWorkover,
};

/** Relative size of an invoice by kind of LOE vendor (water and materials bill more than measurement). */
const LOE_WEIGHT: Record<string, number> = {
  contract_pumping: 0.5,
  chemicals: 1.2,
  water: 1.7,
  roustabout: 1.4,
  compression: 1.4,
  utilities: 0.9,
  materials: 1.8,
  measurement: 0.45,
};
const MEAN_LOE_WEIGHT =
  Object.values(LOE_WEIGHT).reduce((a, b) => a + b, 0) / Object.values(LOE_WEIGHT).length;

/** A well's gross LOE for a producing month: the fixed part plus the variable part on its gross BOE. */
export function loeBudget(seed: number, well: Well, month: number): number {
  return well.loeFixedPerMonth + well.loePerBoe * grossBoe(seed, well, month);
}

/** Gross value of a well's sales in a calendar year at the basin prices (the ad valorem base). */
function yearValue(ctx: CostContext, well: Well, year: number): number {
  let value = 0;
  for (let month = year * 12; month < year * 12 + 12; month++)
    for (const product of PRODUCTS)
      value +=
        monthlyVolume(ctx.seed, well, product, month) * ctx.pricing.basinPrice(well.basin, product, month);
  return value;
}

function invoice(well: Well, day: number, k: number, vendor: string, lines: InvoiceLine[]): Invoice {
  const number = `AP-${isoDate(day).replaceAll('-', '')}-${String(well.index + 1).padStart(5, '0')}-${k}`;
  return { number, vendor, well, day, lines, totalCents: lines.reduce((s, l) => s + l.cents, 0) };
}

function capexInvoices(rng: Rng, well: Well, afe: Afe, day: number, out: Invoice[]): void {
  const vendors = CAPEX_VENDORS[afe.type];
  const mean = afe.dailyCost;
  // The first vendor (rig, frac crew...) bills most days; the others now and then.
  vendors.forEach((vendor, i) => {
    if (i > 0 && !rng.chance(0.45)) return;
    const share = vendors.length === 1 ? 1 : i === 0 ? 0.6 : 0.4 / ((vendors.length - 1) * 0.45);
    const cents = Math.round(mean * share * rng.between(0.6, 1.4) * 100);
    out.push(
      invoice(well, day, out.length + 1, vendor.name, [
        { account: CAPEX_ACCOUNT[afe.type], cents, afe, memo: rng.pick(vendor.memos) },
      ]),
    );
  });
}

/**
 * The invoices entered on `day` for `well`: capital work under its AFEs while it is being
 * drilled, completed or worked over, and lease operating costs once it produces. A pure
 * function of (seed, deck, well, day), so payments and JIB can recompute any past day's invoices.
 */
export function invoicesFor(ctx: CostContext, well: Well, afes: readonly Afe[], day: number): Invoice[] {
  const out: Invoice[] = [];
  const rng = new Rng(ctx.seed, 'ap', well.index, day);
  for (const afe of afes) {
    if (day >= afe.startDay && day <= afe.endDay) capexInvoices(rng, well, afe, day, out);
  }
  if (day < well.firstProductionDay) return out;

  const month = monthOfDay(day);
  const perInvoice = loeBudget(ctx.seed, well, month) / monthLength(month) / LOE_INVOICES_PER_WELL_DAY;
  const count = rng.poisson(LOE_INVOICES_PER_WELL_DAY);
  for (let k = 0; k < count; k++) {
    const vendor = rng.pick(LOE_VENDORS);
    const size =
      perInvoice * ((LOE_WEIGHT[vendor.kind] ?? MEAN_LOE_WEIGHT) / MEAN_LOE_WEIGHT) * rng.between(0.5, 1.5);
    const lines: InvoiceLine[] = [];
    const lineCount = rng.int(1, 3);
    for (let l = 0; l < lineCount; l++) {
      lines.push({
        account: ACCOUNTS.loe,
        cents: Math.round((size * 100) / lineCount),
        afe: null,
        memo: rng.pick(vendor.memos),
      });
    }
    out.push(invoice(well, day, out.length + 1, vendor.name, lines));
  }

  // The midstream company bills gathering on the 12th for last month's gas, the crude purchaser
  // transport for last month's oil.
  if (dayOfMonth(day) === 12) {
    const gas = monthlyVolume(ctx.seed, well, 'gas', month - 1);
    if (gas > 0) {
      const cents = Math.round(gas * well.gatheringFeePerMcf * 100);
      out.push(
        invoice(well, day, out.length + 1, well.basin.purchasers.gas, [
          { account: ACCOUNTS.gathering, cents, afe: null, memo: 'Gathering & compression fee' },
        ]),
      );
    }
    const oil = monthlyVolume(ctx.seed, well, 'oil', month - 1);
    if (oil > 0 && well.oilTransportPerBbl > 0) {
      const cents = Math.round(oil * well.oilTransportPerBbl * 100);
      out.push(
        invoice(well, day, out.length + 1, well.basin.purchasers.oil, [
          { account: ACCOUNTS.gathering, cents, afe: null, memo: 'Crude transportation' },
        ]),
      );
    }
  }
  const date = isoDate(day);
  // County ad valorem tax on last year's production value, billed each January 31 (the Texas
  // due date, used everywhere for simplicity); none where production tax is in lieu of it.
  const rate = adValoremRate(well.basin.state);
  if (rate > 0 && date.endsWith('-01-31') && well.firstProductionDay < day - 30) {
    const cents = Math.round(yearValue(ctx, well, yearOfDay(day) - 1) * rate * 100);
    out.push(
      invoice(well, day, out.length + 1, `${well.county.name} County Tax Office`, [
        { account: ACCOUNTS.adValorem, cents, afe: null, memo: 'Ad valorem tax on producing property' },
      ]),
    );
  }
  // Pennsylvania's Act 13 impact fee for each unconventional well, due April 1 for last year.
  if (well.basin.state === 'PA' && date.endsWith(IMPACT_FEE.dueMonthDay)) {
    const year = yearOfDay(day) - 1;
    const henryHub = Array.from({ length: 12 }, (_, m) => ctx.pricing.benchmark('henry_hub', year * 12 + m));
    const average = henryHub.reduce((a, b) => a + b, 0) / 12;
    const wellYear = year - yearOfDay(well.firstProductionDay) + 1;
    const cents = impactFeeCents(average, wellYear);
    if (cents > 0 && monthsOnProduction(well, year * 12 + 11) >= 0)
      out.push(
        invoice(well, day, out.length + 1, 'Pennsylvania Public Utility Commission', [
          {
            account: ACCOUNTS.severance,
            cents,
            afe: null,
            memo: `Act 13 unconventional well impact fee ${year}`,
          },
        ]),
      );
  }
  return out;
}
