import type { Product } from './basins.ts';
import { Rng } from './prng.ts';
import type { Well } from './wells.ts';
import type { MonthIndex } from '../generator/calendar.ts';
import { monthEnd, monthOfDay, monthStart } from '../generator/calendar.ts';

export const PRODUCTS: readonly Product[] = ['oil', 'gas', 'ngl'];
export const UOM: Record<Product, 'bbl' | 'mcf'> = { oil: 'bbl', gas: 'mcf', ngl: 'bbl' };

const DAYS_PER_YEAR = 365.25;

/**
 * Terminal decline: once the hyperbolic's instantaneous decline has fallen to this nominal
 * annual rate (about 7.7% a year effective), the well declines exponentially at it (the
 * "modified hyperbolic" reserve engineers use, so b > 1 cannot imply infinite reserves).
 */
export const TERMINAL_DECLINE = 0.08;

/** Nominal initial decline of an Arps hyperbolic with effective first-year decline `firstYear`. */
export function nominalDecline(firstYear: number, b: number): number {
  return b === 0 ? -Math.log(1 - firstYear) : (Math.pow(1 - firstYear, -b) - 1) / b;
}

/** Modified Arps hyperbolic rate after t years: q = qi / (1 + b di t)^(1/b), exponential at TERMINAL_DECLINE. */
export function arpsRate(qi: number, di: number, b: number, years: number): number {
  if (b === 0 || di <= TERMINAL_DECLINE) return qi * Math.exp(-Math.min(di, TERMINAL_DECLINE) * years);
  const switchAt = (di / TERMINAL_DECLINE - 1) / (b * di);
  if (years <= switchAt) return qi / Math.pow(1 + b * di * years, 1 / b);
  const atSwitch = qi / Math.pow(1 + b * di * switchAt, 1 / b);
  return atSwitch * Math.exp(-TERMINAL_DECLINE * (years - switchAt));
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
  return (grossBoe(seed, well, month) * well.companyNriUnits) / 1e8;
}

const boeCache = new Map<string, number>();

/** Gross (8/8ths) barrels of oil equivalent a well sold in a month (gas at 6 mcf per bbl). */
export function grossBoe(seed: number, well: Well, month: MonthIndex): number {
  const key = `${seed}:${well.index}:${month}`;
  let boe = boeCache.get(key);
  if (boe === undefined) {
    boe =
      monthlyVolume(seed, well, 'oil', month) +
      monthlyVolume(seed, well, 'ngl', month) +
      monthlyVolume(seed, well, 'gas', month) / 6;
    if (boeCache.size > 100_000) boeCache.clear();
    boeCache.set(key, boe);
  }
  return boe;
}
