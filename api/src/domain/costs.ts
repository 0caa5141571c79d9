import type { Account } from './accounts.ts';
import { ACCOUNTS } from './accounts.ts';
import type { Afe, AfeType } from './afes.ts';
import { DAILY_COST } from './afes.ts';
import { CAPEX_VENDORS, LOE_VENDORS } from './names.ts';
import { Rng } from './prng.ts';
import { monthlyVolume } from './production.ts';
import type { Well } from './wells.ts';
import { dayOfMonth, isoDate, monthOfDay } from '../generator/calendar.ts';

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
 * million GL lines a year (AP is most of the volume, as in a real operator's ledger).
 */
export const LOE_INVOICES_PER_WELL_DAY = 3;

const CAPEX_ACCOUNT: Record<AfeType, Account> = {
  drill: ACCOUNTS.wipIdc,
  complete: ACCOUNTS.wipCompletion,
  facility: ACCOUNTS.wipFacilities,
  workover: ACCOUNTS.loeWorkover,
};

const LOE_BASE: Record<string, [number, number]> = {
  contract_pumping: [300, 900],
  chemicals: [400, 2500],
  water: [600, 3500],
  roustabout: [500, 3000],
  compression: [800, 2500],
  utilities: [300, 1800],
  materials: [400, 4000],
  measurement: [200, 900],
};

function invoice(well: Well, day: number, k: number, vendor: string, lines: InvoiceLine[]): Invoice {
  const number = `AP-${isoDate(day).replaceAll('-', '')}-${String(well.index + 1).padStart(5, '0')}-${k}`;
  return { number, vendor, well, day, lines, totalCents: lines.reduce((s, l) => s + l.cents, 0) };
}

function capexInvoices(rng: Rng, well: Well, afe: Afe, day: number, out: Invoice[]): void {
  const vendors = CAPEX_VENDORS[afe.type];
  const mean = DAILY_COST[afe.type];
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
 * function of (seed, well, day), so payments and JIB can recompute any past day's invoices.
 */
export function invoicesFor(seed: number, well: Well, afes: readonly Afe[], day: number): Invoice[] {
  const out: Invoice[] = [];
  const rng = new Rng(seed, 'ap', well.index, day);
  for (const afe of afes) {
    if (day >= afe.startDay && day <= afe.endDay) capexInvoices(rng, well, afe, day, out);
  }
  if (day < well.firstProductionDay) return out;

  const count = rng.poisson(LOE_INVOICES_PER_WELL_DAY);
  for (let k = 0; k < count; k++) {
    const vendor = rng.pick(LOE_VENDORS);
    const [lo, hi] = LOE_BASE[vendor.kind] ?? [300, 1000];
    const lines: InvoiceLine[] = [];
    const lineCount = rng.int(1, 3);
    for (let l = 0; l < lineCount; l++) {
      const cents = Math.round(rng.between(lo, hi) * well.loeScale * 100) / lineCount;
      lines.push({
        account: ACCOUNTS.loe,
        cents: Math.round(cents),
        afe: null,
        memo: rng.pick(vendor.memos),
      });
    }
    out.push(invoice(well, day, out.length + 1, vendor.name, lines));
  }

  // The midstream company bills gathering on the 12th for last month's gas.
  if (dayOfMonth(day) === 12) {
    const gas = monthlyVolume(seed, well, 'gas', monthOfDay(day) - 1);
    if (gas > 0) {
      const cents = Math.round(gas * well.gatheringFeePerMcf * 100);
      out.push(
        invoice(well, day, out.length + 1, well.basin.purchasers.gas, [
          { account: ACCOUNTS.gathering, cents, afe: null, memo: 'Gathering & compression fee' },
        ]),
      );
    }
  }
  // County ad valorem tax on the producing property, billed each January 31 (Texas due date, used everywhere for simplicity).
  const date = isoDate(day);
  if (date.endsWith('-01-31') && well.firstProductionDay < day - 30) {
    const cents = Math.round(rng.between(4000, 30_000) * well.loeScale * 100);
    out.push(
      invoice(well, day, out.length + 1, `${well.county.name} County Tax Office`, [
        { account: ACCOUNTS.adValorem, cents, afe: null, memo: 'Ad valorem tax on producing property' },
      ]),
    );
  }
  return out;
}
