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
 * - CO: severance tax on gross income, graduated up to 5% (C.R.S. 39-29-105); we apply 5% and
 *   leave out the credit for local ad valorem tax.
 * - OK: gross production tax 7%, 5% for the first 36 months of production (68 O.S. 1001).
 * - LA: oil and condensate 12.5% of value (R.S. 47:633); gas a rate per mcf reset each July 1
 *   (about $0.10 recently).
 * - PA: no severance tax. Unconventional wells pay the Act 13 (2012) impact fee, a fixed fee
 *   per well per year set by the PUC from gas prices; it is not a production tax and is not
 *   booked through these journals.
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
  CO: { oil: pct(0.05), gas: pct(0.05), ngl: pct(0.05) },
  OK: { oil: pct(0.07), gas: pct(0.07), ngl: pct(0.07) },
  LA: { oil: pct(0.125), gas: perUnit(0.1), ngl: pct(0.125) },
  PA: { oil: NONE, gas: NONE, ngl: NONE },
};

/** Oklahoma's reduced rate for a well's first 36 months on production. */
const OK_INCENTIVE = { months: 36, rate: 0.05 };

export function severanceRule(state: StateCode, product: Product, monthsOnProduction: number): SeveranceRule {
  if (state === 'OK' && monthsOnProduction < OK_INCENTIVE.months) return pct(OK_INCENTIVE.rate);
  return TABLE[state][product];
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
