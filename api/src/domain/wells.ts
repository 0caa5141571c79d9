import type { Basin, County, Product } from './basins.ts';
import { BASINS } from './basins.ts';
import type { WellInterests } from './interests.ts';
import { buildInterests } from './interests.ts';
import { SURNAMES } from './names.ts';
import type { OwnerPools } from './owners.ts';
import { nominalDecline } from './production.ts';
import { Rng } from './prng.ts';
import { dayFromIso } from '../generator/calendar.ts';

export interface Decline {
  /** Initial rate per day (oil and NGL bbl/d, gas mcf/d). */
  qi: number;
  /** Nominal annual initial decline. */
  di: number;
  /** Arps hyperbolic exponent. */
  b: number;
}

export interface Well extends WellInterests {
  index: number;
  id: string;
  apiNumber: string;
  name: string;
  basin: Basin;
  county: County;
  firstProductionDay: number;
  decline: Record<Product, Decline>;
  /** Gross lease operating expense: fixed $ per producing month plus $ per gross BOE. */
  loeFixedPerMonth: number;
  loePerBoe: number;
  /** DD&A rate in $ per net BOE (units-of-production over the well's proved reserves). */
  ddaRatePerBoe: number;
  /** Gathering fee in $ per mcf charged by the midstream company. */
  gatheringFeePerMcf: number;
  /** Oil transport (pipeline or truck) in $ per bbl charged by the crude purchaser. */
  oilTransportPerBbl: number;
  /** Expected gross drilling, completion and facilities cost, $. */
  capexTarget: number;
}

/**
 * First production dates are fixed calendar dates, not relative to GL_AS_OF, so a day's lines
 * never change when the as-of date moves: two thirds of the wells are legacy producers (online
 * 2014 to mid-2023), the rest a development programme bringing wells online through 2027, so
 * any history window holds wells that start producing inside it.
 */
const LEGACY = [dayFromIso('2014-01-01'), dayFromIso('2023-06-30')] as const;
const PROGRAMME = [dayFromIso('2023-07-01'), dayFromIso('2027-12-31')] as const;

function round(value: number, places: number): number {
  const scale = 10 ** places;
  return Math.round(value * scale) / scale;
}

export function buildWells(seed: number, count: number, owners: OwnerPools): Well[] {
  const wells: Well[] = [];
  const names = new Set<string>();
  for (let index = 0; index < count; index++) {
    const rng = new Rng(seed, 'well', index);
    const basin = rng.weighted(BASINS, (b) => b.weight);
    const county = rng.pick(basin.counties);
    // 7919 is prime and coprime to 90 000, so the 5-digit unique number never repeats.
    const unique = 10_000 + ((index * 7919 + (seed % 90_000)) % 90_000);
    const span = rng.chance(2 / 3) ? LEGACY : PROGRAMME;
    const firstProductionDay = rng.int(span[0], span[1]);

    let name: string;
    do {
      const lease = rng.pick(SURNAMES);
      const fed = basin.state === 'NM' && rng.chance(0.4) ? ' Fed Com' : '';
      name = `${lease}${fed} ${rng.int(1, 36)}-${rng.int(1, 12)}H`;
    } while (names.has(name));
    names.add(name);

    const gasQi = rng.between(basin.gasQi[0], basin.gasQi[1]);
    const decline = (qi: number): Decline => {
      const b = round(rng.between(basin.b[0], basin.b[1]), 3);
      const firstYear = rng.between(basin.firstYearDecline[0], basin.firstYearDecline[1]);
      return { qi: round(qi, 1), di: round(nominalDecline(firstYear, b), 3), b };
    };
    const e = basin.economics;
    wells.push({
      index,
      id: `W-${String(index + 1).padStart(5, '0')}`,
      apiNumber: `${basin.apiStateCode}-${county.apiCode}-${unique}`,
      name,
      basin,
      county,
      firstProductionDay,
      decline: {
        oil: decline(rng.between(basin.oilQi[0], basin.oilQi[1])),
        gas: decline(gasQi),
        ngl: decline((gasQi * rng.between(basin.nglYield[0], basin.nglYield[1])) / 1000),
      },
      loeFixedPerMonth: Math.round(rng.between(...e.loeFixedPerWellMonth)),
      loePerBoe: round(rng.between(...e.loePerBoe), 2),
      ddaRatePerBoe: round(rng.between(...e.ddaPerBoe), 2),
      gatheringFeePerMcf: round(rng.between(...e.gatheringPerMcf), 3),
      oilTransportPerBbl: round(rng.between(...e.oilTransportPerBbl), 3),
      capexTarget: Math.round(rng.between(...e.capexPerWell) / 1000) * 1000,
      ...buildInterests(new Rng(seed, 'interests', index), basin, owners),
    });
  }
  return wells;
}
