import type { Afe } from '../afes.ts';
import type { Pricing } from '../prices.ts';
import type { Well } from '../wells.ts';

/** Everything a sub-ledger needs to book a day: the seed and the reference data. */
export interface LedgerContext {
  seed: number;
  /** Benchmarks (a deck or the seeded model) and each basin's prices off them. */
  pricing: Pricing;
  wells: readonly Well[];
  afesByWell: ReadonlyMap<number, readonly Afe[]>;
  /** For each WI partner, the wells it has a working interest in (for JIB). */
  partnerWells: ReadonlyMap<string, readonly { well: Well; wiUnits: number }[]>;
}
