import type { Afe } from '../afes.ts';
import type { Well } from '../wells.ts';

/** Everything a sub-ledger needs to book a day: the seed and the reference data. */
export interface LedgerContext {
  seed: number;
  wells: readonly Well[];
  afesByWell: ReadonlyMap<number, readonly Afe[]>;
  /** For each WI partner, the wells it has a working interest in (for JIB). */
  partnerWells: ReadonlyMap<string, readonly { well: Well; wiUnits: number }[]>;
}
