import { Rng } from './prng.ts';
import type { Well } from './wells.ts';
import { yearOfDay, dayFromIso } from '../generator/calendar.ts';

export type AfeType = 'drill' | 'complete' | 'facility' | 'workover';

/** An Authority for Expenditure: the budget partners approve before capital is spent on a well. */
export interface Afe {
  number: string;
  type: AfeType;
  well: Well;
  description: string;
  approvedDay: number;
  /** Days (inclusive) on which the work is invoiced. */
  startDay: number;
  endDay: number;
  grossBudgetCents: number;
  /** Mean gross cost per working day the invoices are drawn around ($): the actual, not the budget. */
  dailyCost: number;
}

/** How a well's capital splits between its AFEs (without a facility AFE, drilling takes its share). */
const CAPEX_SHARE = { drill: 0.3, complete: 0.6, facility: 0.1 } as const;
/** Mean gross cost per working day of a workover ($). */
const WORKOVER_DAILY_COST = 15_000;

const WORKOVER_YEARS = [2015, 2030] as const;
const LETTER: Record<AfeType, string> = { drill: 'D', complete: 'C', facility: 'F', workover: 'W' };

function afe(
  rng: Rng,
  well: Well,
  type: AfeType,
  startDay: number,
  endDay: number,
  estimate: number,
  approvalLead: number,
  description: string,
): Afe {
  const days = endDay - startDay + 1;
  const approvedDay = startDay - approvalLead;
  // Budgeted at the engineer's estimate plus 5-10% contingency, rounded to the thousand like
  // real AFEs; the actual cost lands around the estimate with a 10% spread, so some AFEs overrun.
  const grossBudgetCents = Math.round((estimate * rng.between(1.05, 1.1)) / 1000) * 1000 * 100;
  const actual = estimate * Math.max(0.7, rng.normal(1, 0.1));
  return {
    number: `AFE-${yearOfDay(startDay)}-${LETTER[type]}${String(well.index + 1).padStart(5, '0')}`,
    type,
    well,
    description,
    approvedDay,
    startDay,
    endDay,
    grossBudgetCents,
    dailyCost: actual / days,
  };
}

/**
 * Drilling runs about 110 to 70 days before first production, completion 55 to 15 days
 * before, facilities in between; producing wells get an occasional workover (at most one a
 * year, so the AFE number stays unique).
 */
export function buildAfes(seed: number, well: Well): Afe[] {
  const fp = well.firstProductionDay;
  const rng = new Rng(seed, 'afes', well.index);
  const facility = rng.chance(0.7);
  const drillShare = CAPEX_SHARE.drill + (facility ? 0 : CAPEX_SHARE.facility);
  const afes = [
    afe(
      rng,
      well,
      'drill',
      fp - 110,
      fp - 70,
      well.capexTarget * drillShare,
      rng.int(20, 60),
      `Drill ${well.name} (horizontal)`,
    ),
    afe(
      rng,
      well,
      'complete',
      fp - 55,
      fp - 15,
      well.capexTarget * CAPEX_SHARE.complete,
      rng.int(20, 60),
      `Complete ${well.name} (plug & perf)`,
    ),
  ];
  if (facility)
    afes.push(
      afe(
        rng,
        well,
        'facility',
        fp - 40,
        fp - 10,
        well.capexTarget * CAPEX_SHARE.facility,
        rng.int(20, 60),
        `Tank battery and flowlines for ${well.name}`,
      ),
    );
  for (let year = Math.max(WORKOVER_YEARS[0], yearOfDay(fp) + 1); year <= WORKOVER_YEARS[1]; year++) {
    const yr = new Rng(seed, 'workover', well.index, year);
    if (!yr.chance(0.15)) continue;
    const start = dayFromIso(`${year}-01-01`) + yr.int(0, 350);
    const days = yr.int(4, 9);
    afes.push(
      afe(
        yr,
        well,
        'workover',
        start,
        start + days - 1,
        WORKOVER_DAILY_COST * days,
        yr.int(5, 20),
        `Workover ${well.name}: ${yr.pick(['rod pump change', 'tubing leak repair', 'ESP replacement', 'paraffin cleanout'])}`,
      ),
    );
  }
  return afes;
}
