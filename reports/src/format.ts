/**
 * How numbers read in the PDF and the narrative. The workbook uses the Excel number formats in
 * excel/formats.ts for the same units, so a figure looks the same in both.
 */
import type { KpiUnit } from './model.ts';

const fixed = (digits: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const cents = fixed(2);
const whole = fixed(0);

/** Exact, to the cent: "$12,847,941.17", "-$3.05". */
export function usd(value: number): string {
  return `${value < 0 ? '-' : ''}$${cents.format(Math.abs(value))}`;
}

/** Short, for tiles: "$12.85M", "$845.2K", "$17.32". */
export function usdCompact(value: number): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  if (abs >= 1e9) return `${sign}$${fixed(2).format(abs / 1e9)}B`;
  if (abs >= 1e6) return `${sign}$${fixed(2).format(abs / 1e6)}M`;
  if (abs >= 1e4) return `${sign}$${fixed(1).format(abs / 1e3)}K`;
  return `${sign}$${cents.format(abs)}`;
}

export const UNIT_SUFFIX: Record<KpiUnit, string> = {
  usd: '',
  usd_per_boe: '/BOE',
  usd_per_bbl: '/bbl',
  usd_per_mcf: '/mcf',
  boe_per_day: ' BOE/d',
  bbl_per_day: ' bbl/d',
  mcf_per_day: ' mcf/d',
  pct: '%',
};

/** A KPI value to the cent in its unit: "$17.32/BOE", "9,876.54 BOE/d", "7.53%". */
export function kpiExact(value: number | null, unit: KpiUnit): string {
  if (value === null) return 'n/a';
  if (unit === 'pct') return `${cents.format(value)}%`;
  if (unit.startsWith('usd')) return `${usd(value)}${UNIT_SUFFIX[unit]}`;
  return `${cents.format(value)}${UNIT_SUFFIX[unit]}`;
}

/** A KPI value for a tile: money compact, rates whole. */
export function kpiShort(value: number | null, unit: KpiUnit): string {
  if (value === null) return 'n/a';
  if (unit === 'usd') return usdCompact(value);
  if (unit === 'pct') return `${fixed(1).format(value)}%`;
  if (unit.startsWith('usd')) return `${usd(value)}${UNIT_SUFFIX[unit]}`;
  return `${whole.format(value)}${UNIT_SUFFIX[unit]}`;
}

/** A tile's value and its unit apart, so the unit can be set smaller: ["10,446", " BOE/d"]. */
export function kpiParts(value: number | null, unit: KpiUnit): [string, string] {
  if (value === null) return ['n/a', ''];
  if (unit === 'usd') return [usdCompact(value), ''];
  if (unit === 'pct') return [fixed(1).format(value), '%'];
  if (unit.startsWith('usd')) return [usd(value), UNIT_SUFFIX[unit]];
  return [whole.format(value), UNIT_SUFFIX[unit]];
}

/**
 * How a KPI's change reads: prices, differentials, per-BOE costs and balances as a signed amount
 * (a differential going from -$3.80 to -$0.04 is "+$3.76", not "+98.9%"), volumes and flows as a
 * percentage.
 */
export function kpiChange(id: string, unit: KpiUnit, value: number | null, base: number | null): string {
  const asAmount = unit.startsWith('usd_per') || !percentChangeMeaningful(id);
  return asAmount ? signedDelta(value, base, unit) : pctChange(value, base);
}

/** A differential or a balance can cross zero: a percentage of it says nothing. */
export const percentChangeMeaningful = (id: string): boolean =>
  !id.endsWith('_differential') && id !== 'jib_open';

/** Change between two values: "+4.2%" (or "n/a" without a base). */
export function pctChange(value: number | null, base: number | null): string {
  if (value === null || base === null || base === 0) return 'n/a';
  const change = ((value - base) / Math.abs(base)) * 100;
  return `${change >= 0 ? '+' : ''}${fixed(1).format(change)}%`;
}

/** A signed difference in the unit: "+$1.25/bbl", "-320 BOE/d". */
export function signedDelta(value: number | null, base: number | null, unit: KpiUnit): string {
  if (value === null || base === null) return 'n/a';
  const delta = Math.round((value - base) * 100) / 100;
  const sign = delta > 0 ? '+' : delta < 0 ? '-' : '±';
  return `${sign}${unit === 'usd' ? usd(Math.abs(delta)) : kpiShort(Math.abs(delta), unit)}`;
}

export const integer = (value: number): string => whole.format(value);
export const decimal2 = (value: number): string => cents.format(value);
