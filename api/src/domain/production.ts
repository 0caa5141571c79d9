import type { Product } from './basins.ts';
import { Rng } from './prng.ts';
import type { Well } from './wells.ts';
import type { MonthIndex } from '../generator/calendar.ts';
import { monthEnd, monthOfDay, monthStart } from '../generator/calendar.ts';

export const PRODUCTS: readonly Product[] = ['oil', 'gas', 'ngl'];
export const UOM: Record<Product, 'bbl' | 'mcf'> = { oil: 'bbl', gas: 'mcf', ngl: 'bbl' };

const DAYS_PER_YEAR = 365.25;

/** Arps hyperbolic rate after t years: q = qi / (1 + b di t)^(1/b). */
export function arpsRate(qi: number, di: number, b: number, years: number): number {
  if (b === 0) return qi * Math.exp(-di * years);
  return qi / Math.pow(1 + b * di * years, 1 / b);
}

export function producedInMonth(well: Well, month: MonthIndex): boolean {
  return well.firstProductionDay <= monthEnd(month);
}

export function monthsOnProduction(well: Well, month: MonthIndex): number {
  return month - monthOfDay(well.firstProductionDay);
}

/**
 * Gross (8/8ths) volume a well sold in a production month: the Arps rate at the middle of the
 * days it produced, times those days, times an uptime factor for downtime and curtailment.
 * Zero before first production, so no revenue can ever precede it.
 */
export function monthlyVolume(seed: number, well: Well, product: Product, month: MonthIndex): number {
  const { qi, di, b } = well.decline[product];
  if (qi <= 0 || !producedInMonth(well, month)) return 0;
  const from = Math.max(monthStart(month), well.firstProductionDay);
  const days = monthEnd(month) - from + 1;
  const midYears = (from + days / 2 - well.firstProductionDay) / DAYS_PER_YEAR;
  const uptime = new Rng(seed, 'uptime', well.index, month).between(0.88, 1);
  return Math.round(arpsRate(qi, di, b, midYears) * days * uptime * 100) / 100;
}

/** Net barrels of oil equivalent for the company (gas at 6 mcf per bbl). */
export function companyNetBoe(seed: number, well: Well, month: MonthIndex): number {
  const gross =
    monthlyVolume(seed, well, 'oil', month) +
    monthlyVolume(seed, well, 'ngl', month) +
    monthlyVolume(seed, well, 'gas', month) / 6;
  return (gross * well.companyNriUnits) / 1e8;
}
