import type { Product, StateCode } from './basins.ts';

/**
 * Production (severance) taxes by state, from the state statutes; rates are the headline
 * rates, simplified where noted, because the ledger needs plausible, not filing-grade, tax:
 * - TX: oil 4.6% of market value (Tax Code ch. 202), gas 7.5% (ch. 201); NGLs are taxed as gas.
 * - NM: severance 3.75% + conservation 0.19% + emergency school tax 3.15% on oil / 4% on gas
 *   (NMSA 7-29, 7-30, 7-31); the ad valorem production tax (set per district) is left out.
 * - ND: oil gross production 5% + oil extraction 5% (NDCC 57-51, 57-51.1); gas gross production
 *   tax is a rate per mcf reset every July 1 by the Tax Commissioner (about $0.09 recently);
 *   NGLs are covered by the wellhead gas tax, so they carry none of their own here.
 * - CO: severance tax on gross income, graduated up to 5% (C.R.S. 39-29-105), less a credit of
 *   87.5% of the local ad valorem tax paid (39-29-105(2)(b)); net of the credit about 1%.
 * - OK: gross production tax 7%, 5% for the first 36 months of production (68 O.S. 1001).
 * - LA: oil and condensate 12.5% of value (R.S. 47:633); gas a rate per mcf reset each July 1
 *   (about $0.10-0.13 recently). Horizontally drilled wells are exempt for 24 months from first
 *   production or until payout, whichever comes first (R.S. 47:633, horizontal well exemption); every well
 *   here is horizontal, and we apply the 24 months (payout is not tracked).
 * - PA: no severance tax. Unconventional wells pay the Act 13 (2012) impact fee instead
 *   (58 Pa.C.S. 2302): a fee per well per year by the well's age, in a schedule chosen by the
 *   year's average Henry Hub price; booked as an AP invoice from the PUC due April 1 (costs.ts).
 *
 * Ad valorem (county property tax on producing property) where the state levies it: TX about 2%
 * of production value (county and school district rates on appraised value), NM the oil and gas
 * ad valorem production tax (NMSA 7-32, about 1.2%), CO about 5% (county mill levies on 87.5%
 * of value), LA about 1% (parish tax on wells and equipment). None in ND (the gross production
 * tax is in lieu of property taxes on oil and gas, NDCC ch. 57-51), OK (gross production tax in
 * lieu, 68 O.S. ch. 10) or PA (oil and gas are not taxable real estate: Independent Oil & Gas
 * Ass'n v. Fayette County, 2002).
 */
export type SeveranceRule =
  { kind: 'percent'; rate: number } | { kind: 'per_unit'; rate: number } | { kind: 'none' };

const pct = (rate: number): SeveranceRule => ({ kind: 'percent', rate });
const perUnit = (rate: number): SeveranceRule => ({ kind: 'per_unit', rate });
const NONE: SeveranceRule = { kind: 'none' };

const TABLE: Record<StateCode, Record<Product, SeveranceRule>> = {
  TX: { oil: pct(0.046), gas: pct(0.075), ngl: pct(0.075) },
  NM: { oil: pct(0.0709), gas: pct(0.0794), ngl: pct(0.0794) },
  ND: { oil: pct(0.1), gas: perUnit(0.09), ngl: NONE },
  CO: { oil: pct(0.01), gas: pct(0.01), ngl: pct(0.01) },
  OK: { oil: pct(0.07), gas: pct(0.07), ngl: pct(0.07) },
  LA: { oil: pct(0.125), gas: perUnit(0.1), ngl: pct(0.125) },
  PA: { oil: NONE, gas: NONE, ngl: NONE },
};

/** Oklahoma's reduced rate for a well's first 36 months on production. */
const OK_INCENTIVE = { months: 36, rate: 0.05 };
/** Louisiana's suspension for horizontal wells, in months from first production. */
const LA_HORIZONTAL_SUSPENSION_MONTHS = 24;

export function severanceRule(state: StateCode, product: Product, monthsOnProduction: number): SeveranceRule {
  if (state === 'OK' && monthsOnProduction < OK_INCENTIVE.months) return pct(OK_INCENTIVE.rate);
  if (state === 'LA' && monthsOnProduction < LA_HORIZONTAL_SUSPENSION_MONTHS) return NONE;
  return TABLE[state][product];
}

const AD_VALOREM: Record<StateCode, number> = {
  TX: 0.02,
  NM: 0.012,
  ND: 0,
  CO: 0.05,
  OK: 0,
  LA: 0.01,
  PA: 0,
};

/** Ad valorem tax as a share of the previous year's production value. */
export function adValoremRate(state: StateCode): number {
  return AD_VALOREM[state];
}

/**
 * Act 13 impact fee schedule per unconventional gas well ($, by the well's year: 1, 2, 3, 4-10,
 * 11-15), by the year's average Henry Hub price (58 Pa.C.S. 2302(b)); the statute's CPI
 * adjustment is left out.
 */
export const IMPACT_FEE = {
  dueMonthDay: '-04-01',
  tiers: [
    { upTo: 2.25, fees: [40_000, 30_000, 25_000, 10_000, 5000] },
    { upTo: 2.99, fees: [45_000, 35_000, 25_000, 10_000, 5000] },
    { upTo: 4.99, fees: [50_000, 40_000, 30_000, 10_000, 5000] },
    { upTo: 5.99, fees: [55_000, 45_000, 30_000, 15_000, 5000] },
    { upTo: Infinity, fees: [60_000, 55_000, 30_000, 15_000, 5000] },
  ],
} as const;

/** The fee in cents for a well in its `wellYear`-th year (1 = the year it first produced). */
export function impactFeeCents(averageHenryHub: number, wellYear: number): number {
  if (wellYear < 1 || wellYear > 15) return 0;
  const tier =
    IMPACT_FEE.tiers.find((t) => averageHenryHub <= t.upTo) ?? IMPACT_FEE.tiers[IMPACT_FEE.tiers.length - 1]!;
  const index = wellYear <= 3 ? wellYear - 1 : wellYear <= 10 ? 3 : 4;
  return (tier.fees[index] ?? 0) * 100;
}

/** Tax in cents on a sale of `volume` units worth `valueCents`. */
export function severanceCents(rule: SeveranceRule, valueCents: number, volume: number): number {
  switch (rule.kind) {
    case 'percent':
      return Math.round(valueCents * rule.rate);
    case 'per_unit':
      return Math.round(volume * rule.rate * 100);
    case 'none':
      return 0;
  }
}
