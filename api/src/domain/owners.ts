import { Rng } from './prng.ts';
import { FIRST_NAMES, SURNAMES, WI_PARTNERS } from './names.ts';

export type OwnerType = 'company' | 'working_interest_partner' | 'royalty' | 'orri';

export interface Owner {
  id: string;
  name: string;
  type: OwnerType;
}

export const COMPANY: Owner = { id: 'OP-0001', name: 'Dakota Ridge Operating LLC', type: 'company' };

/** Government lessors; federal and state leases pay their royalty to these. */
export const GOVERNMENT_LESSORS = {
  federal: { id: 'RI-00001', name: 'Office of Natural Resources Revenue (ONRR)', type: 'royalty' },
  texas: { id: 'RI-00002', name: 'Texas General Land Office', type: 'royalty' },
  newMexico: { id: 'RI-00003', name: 'New Mexico State Land Office', type: 'royalty' },
} as const satisfies Record<string, Owner>;

export interface OwnerPools {
  all: Owner[];
  partners: Owner[];
  /** Private mineral owners (the government lessors are separate). */
  royalty: Owner[];
  orri: Owner[];
}

function mineralOwnerName(rng: Rng): string {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(SURNAMES);
  switch (rng.int(0, 4)) {
    case 0:
      return `Estate of ${first} ${last}`;
    case 1:
      return `${last} Family Trust`;
    case 2:
      return `${last} Minerals LLC`;
    default:
      return `${first} ${String.fromCharCode(65 + rng.int(0, 25))}. ${last}`;
  }
}

/** Owner pools scale with the well count so each royalty owner holds only a few wells. */
export function buildOwners(seed: number, wellCount: number): OwnerPools {
  const partners = WI_PARTNERS.map((name, i): Owner => ({
    id: `WIP-${String(i + 1).padStart(4, '0')}`,
    name,
    type: 'working_interest_partner',
  }));
  const royalty: Owner[] = [];
  const royaltyCount = Math.max(12, Math.ceil(wellCount * 1.5));
  for (let i = 0; i < royaltyCount; i++) {
    const rng = new Rng(seed, 'owner', 'royalty', i);
    royalty.push({
      id: `RI-${String(i + 4).padStart(5, '0')}`,
      name: mineralOwnerName(rng),
      type: 'royalty',
    });
  }
  const orri: Owner[] = [];
  const orriCount = Math.max(4, Math.ceil(wellCount / 4));
  for (let i = 0; i < orriCount; i++) {
    const rng = new Rng(seed, 'owner', 'orri', i);
    const last = rng.pick(SURNAMES);
    const name = rng.chance(0.5)
      ? `${last} Land Services ORRI LLC`
      : `${rng.pick(FIRST_NAMES)} ${last} (ORRI)`;
    orri.push({ id: `ORRI-${String(i + 1).padStart(4, '0')}`, name, type: 'orri' });
  }
  const all = [COMPANY, ...partners, ...Object.values(GOVERNMENT_LESSORS), ...royalty, ...orri];
  return { all, partners, royalty, orri };
}
