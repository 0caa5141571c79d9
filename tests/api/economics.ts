/**
 * Per-basin operating economics recomputed from the generator's own sub-ledger functions (the
 * same invoices, settlements and DD&A the journals book), as the company's net figures:
 * LOE, netback and DD&A per net BOE, and the first-year decline of the wells' main product.
 */
import { ACCOUNTS } from '../../api/src/domain/accounts.ts';
import type { Product } from '../../api/src/domain/basins.ts';
import { BASINS } from '../../api/src/domain/basins.ts';
import { wellMonthCosts } from '../../api/src/domain/journals/jib.ts';
import { settlement } from '../../api/src/domain/journals/revenue.ts';
import { companyNetBoe, monthlyVolume, PRODUCTS, producedInMonth } from '../../api/src/domain/production.ts';
import { monthLength, monthOfDay, monthStart } from '../../api/src/generator/calendar.ts';
import type { Ledger } from '../../api/src/generator/ledger.ts';

export interface BasinFigures {
  basin: string;
  wells: number;
  netBoe: number;
  loePerBoe: number;
  netbackPerBoe: number;
  ddaPerBoe: number;
  gatheringPerBoe: number;
  taxesPerBoe: number;
  revenuePerBoe: number;
  /** Median over the basin's wells that have a year on production inside the horizon. */
  firstYearDecline: number;
  capexPerWell: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

/** Figures over production months [from, to] (month indexes). */
export function basinFigures(ledger: Ledger, from: number, to: number): BasinFigures[] {
  const ctx = ledger.context;
  return BASINS.map((basin) => {
    const wells = ledger.wells.filter((w) => w.basin === basin);
    let boe = 0;
    let loe = 0;
    let revenue = 0;
    let taxes = 0;
    let gathering = 0;
    let dda = 0;
    for (const well of wells) {
      const wi = well.companyWiUnits / 1e8;
      for (let month = from; month <= to; month++) {
        if (!producedInMonth(well, month)) continue;
        const netBoe = companyNetBoe(ledger.seed, well, month);
        boe += netBoe;
        dda += Math.round(netBoe * well.ddaRatePerBoe * 100) / 100;
        for (const product of PRODUCTS) {
          const s = settlement(ctx, well, product, month);
          if (!s) continue;
          revenue += s.companyGrossCents / 100;
          taxes += s.companyTaxCents / 100;
        }
        for (const bucket of wellMonthCosts(ctx, well, month)) {
          const net = (bucket.cents / 100) * wi;
          if (bucket.account === ACCOUNTS.loe || bucket.account === ACCOUNTS.loeWorkover) loe += net;
          else if (bucket.account === ACCOUNTS.gathering) gathering += net;
          else if (bucket.account === ACCOUNTS.severance || bucket.account === ACCOUNTS.adValorem)
            taxes += net;
        }
      }
    }
    const main: Product = basin.economics.oilDifferential[1] === 0 ? 'gas' : 'oil';
    const declines: number[] = [];
    for (const well of wells) {
      const first = monthOfDay(well.firstProductionDay) + 1; // first full month
      if (first + 12 > to + 36) continue;
      const rate = (m: number) => monthlyVolume(ledger.seed, well, main, m) / monthLength(m);
      if (rate(first) > 0) declines.push(1 - rate(first + 12) / rate(first));
    }
    const capex = ledger.afes
      .filter((a) => a.well.basin === basin && a.type !== 'workover')
      .reduce((s, a) => s + a.dailyCost * (a.endDay - a.startDay + 1), 0);
    return {
      basin: basin.id,
      wells: wells.length,
      netBoe: boe,
      loePerBoe: loe / boe,
      netbackPerBoe: (revenue - taxes - gathering - loe) / boe,
      ddaPerBoe: dda / boe,
      gatheringPerBoe: gathering / boe,
      taxesPerBoe: taxes / boe,
      revenuePerBoe: revenue / boe,
      firstYearDecline: median(declines),
      capexPerWell: capex / wells.length,
    };
  });
}

export { monthStart };
