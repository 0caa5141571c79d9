import { INTEREST_UNITS } from './money.ts';
import type { Owner, OwnerPools } from './owners.ts';
import { COMPANY, GOVERNMENT_LESSORS } from './owners.ts';
import type { Rng } from './prng.ts';
import type { Basin } from './basins.ts';

export type InterestType = 'WI' | 'RI' | 'ORRI';

/** One owner's share of a well, in units of 1e-8. Working-interest owners also hold an NRI. */
export interface Interest {
  ownerId: string;
  type: InterestType;
  wiUnits: number | null;
  riUnits: number;
}

export interface WellInterests {
  interests: Interest[];
  /** Lease royalty burden (sum of landowner royalty) in 1e-8 units. */
  royaltyUnits: number;
  orriUnits: number;
  companyWiUnits: number;
  companyNriUnits: number;
}

/** Splits `total` units into `parts` random positive integer pieces that sum exactly to it. */
function split(rng: Rng, total: number, parts: number): number[] {
  const weights = Array.from({ length: parts }, () => rng.between(0.5, 1.5));
  const sum = weights.reduce((a, b) => a + b, 0);
  const pieces = weights.map((w) => Math.floor((total * w) / sum));
  pieces[0] = (pieces[0] ?? 0) + total - pieces.reduce((a, b) => a + b, 0);
  return pieces;
}

function distinct(rng: Rng, pool: readonly Owner[], count: number): Owner[] {
  const chosen = new Map<string, Owner>();
  while (chosen.size < Math.min(count, pool.length)) {
    const owner = rng.pick(pool);
    chosen.set(owner.id, owner);
  }
  return [...chosen.values()];
}

/** floor(a * b / 1e8) without losing precision above 2^53. */
function mulUnits(a: number, b: number): number {
  return Number((BigInt(a) * BigInt(b)) / BigInt(INTEREST_UNITS));
}

/**
 * The division order of a well. The operator (the company) holds 50-100% of the working
 * interest, partners the rest; the lease royalty and any overriding royalty burden the whole
 * working interest, so each WI owner's net revenue interest is WI x (1 - royalty - ORRI),
 * rounded down to 1e-8. The rounding residue (a few 1e-8, and only when there are partners: a
 * 100% WI rounds exactly) goes to the first partner, so revenue interests sum to exactly 1, the
 * royalty owners get exactly the lease royalty, and the company's NRI never exceeds
 * WI x (1 - royalty).
 */
export function buildInterests(rng: Rng, basin: Basin, owners: OwnerPools): WellInterests {
  const companyWi = rng.chance(0.25) ? INTEREST_UNITS : Math.round(rng.between(0.5, 0.95) * 10_000) * 10_000;
  const partnerCount = companyWi === INTEREST_UNITS ? 0 : rng.int(1, 3);
  const partners = distinct(rng, owners.partners, partnerCount);
  const partnerWi = partners.length ? split(rng, INTEREST_UNITS - companyWi, partners.length) : [];

  const royaltyRate = rng.pick(basin.royaltyRates);
  const royaltyUnits = Math.round(royaltyRate * INTEREST_UNITS);
  // Federal leases in New Mexico carry the 12.5% federal royalty, paid to ONRR alone.
  const federal = basin.state === 'NM' && royaltyRate === 0.125;
  const stateLease = !federal && rng.chance(0.1) && (basin.state === 'TX' || basin.state === 'NM');
  let royaltyOwners: Owner[];
  if (federal) royaltyOwners = [GOVERNMENT_LESSORS.federal];
  else if (stateLease)
    royaltyOwners = [basin.state === 'TX' ? GOVERNMENT_LESSORS.texas : GOVERNMENT_LESSORS.newMexico];
  else royaltyOwners = distinct(rng, owners.royalty, rng.int(1, 4));
  const royaltyShares = split(rng, royaltyUnits, royaltyOwners.length);

  const orriUnits = rng.chance(0.5)
    ? Math.round(rng.pick([0.01, 0.015, 0.02, 0.025, 0.03]) * INTEREST_UNITS)
    : 0;
  const orriOwners = orriUnits ? distinct(rng, owners.orri, rng.int(1, 2)) : [];
  const orriShares = orriOwners.length ? split(rng, orriUnits, orriOwners.length) : [];

  const netOfBurdens = INTEREST_UNITS - royaltyUnits - orriUnits;
  const wiOwners = [COMPANY, ...partners];
  const wiUnits = [companyWi, ...partnerWi];
  const nriUnits = wiUnits.map((wi) => mulUnits(wi, netOfBurdens));
  const residue = INTEREST_UNITS - royaltyUnits - orriUnits - nriUnits.reduce((a, b) => a + b, 0);
  nriUnits[nriUnits.length > 1 ? 1 : 0] = (nriUnits[nriUnits.length > 1 ? 1 : 0] ?? 0) + residue;

  const interests: Interest[] = [
    ...wiOwners.map((o, i) => ({
      ownerId: o.id,
      type: 'WI' as const,
      wiUnits: wiUnits[i] ?? 0,
      riUnits: nriUnits[i] ?? 0,
    })),
    ...royaltyOwners.map((o, i) => ({
      ownerId: o.id,
      type: 'RI' as const,
      wiUnits: null,
      riUnits: royaltyShares[i] ?? 0,
    })),
    ...orriOwners.map((o, i) => ({
      ownerId: o.id,
      type: 'ORRI' as const,
      wiUnits: null,
      riUnits: orriShares[i] ?? 0,
    })),
  ];
  return { interests, royaltyUnits, orriUnits, companyWiUnits: companyWi, companyNriUnits: nriUnits[0] ?? 0 };
}
