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
}

/** Mean gross cost per working day of each kind of job; costs.ts draws invoices around these. */
export const DAILY_COST: Record<AfeType, number> = {
  drill: 60_000,
  complete: 160_000,
  facility: 24_000,
  workover: 15_000,
};

const WORKOVER_YEARS = [2015, 2030] as const;
const LETTER: Record<AfeType, string> = { drill: 'D', complete: 'C', facility: 'F', workover: 'W' };

function afe(
  well: Well,
  type: AfeType,
  startDay: number,
  endDay: number,
  approvalLead: number,
  description: string,
): Afe {
  const days = endDay - startDay + 1;
  const approvedDay = startDay - approvalLead;
  // Budgeted at expected cost plus 10% contingency, rounded to the thousand like real AFEs.
  const grossBudgetCents = Math.round((DAILY_COST[type] * days * 1.1) / 1000) * 1000 * 100;
  return {
    number: `AFE-${yearOfDay(startDay)}-${LETTER[type]}${String(well.index + 1).padStart(5, '0')}`,
    type,
    well,
    description,
    approvedDay,
    startDay,
    endDay,
    grossBudgetCents,
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
  const afes = [
    afe(well, 'drill', fp - 110, fp - 70, rng.int(20, 60), `Drill ${well.name} (horizontal)`),
    afe(well, 'complete', fp - 55, fp - 15, rng.int(20, 60), `Complete ${well.name} (plug & perf)`),
  ];
  if (rng.chance(0.7))
    afes.push(
      afe(well, 'facility', fp - 40, fp - 10, rng.int(20, 60), `Tank battery and flowlines for ${well.name}`),
    );
  for (let year = Math.max(WORKOVER_YEARS[0], yearOfDay(fp) + 1); year <= WORKOVER_YEARS[1]; year++) {
    const yr = new Rng(seed, 'workover', well.index, year);
    if (!yr.chance(0.15)) continue;
    const start = dayFromIso(`${year}-01-01`) + yr.int(0, 350);
    afes.push(
      afe(
        well,
        'workover',
        start,
        start + yr.int(3, 8),
        yr.int(5, 20),
        `Workover ${well.name}: ${yr.pick(['rod pump change', 'tubing leak repair', 'ESP replacement', 'paraffin cleanout'])}`,
      ),
    );
  }
  return afes;
}
