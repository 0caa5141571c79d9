import { ACCOUNTS } from '../accounts.ts';
import { companyNetBoe, producedInMonth } from '../production.ts';
import { isoMonth, monthEnd, monthOfDay } from '../../generator/calendar.ts';
import type { LedgerContext } from './context.ts';
import type { JournalDraft } from './draft.ts';
import { credit, debit, journal } from './draft.ts';

/** Month end: units-of-production DD&A on the company's net BOE at each well's rate. */
export function monthlyDda(ctx: LedgerContext, day: number): JournalDraft[] {
  const month = monthOfDay(day);
  if (day !== monthEnd(month)) return [];
  const out: JournalDraft[] = [];
  for (const well of ctx.wells) {
    if (!producedInMonth(well, month)) continue;
    const cents = Math.round(companyNetBoe(ctx.seed, well, month) * well.ddaRatePerBoe * 100);
    const j = journal({
      key: `dda:${well.id}:${isoMonth(month)}`,
      source: 'gl',
      description: `DD&A ${isoMonth(month)} - ${well.name} at $${well.ddaRatePerBoe.toFixed(2)}/BOE`,
      reverses: null,
      lines: [
        debit(ACCOUNTS.dda, cents, { wellId: well.id }),
        credit(ACCOUNTS.accumulatedDda, cents, { wellId: well.id }),
      ],
    });
    if (j) out.push(j);
  }
  return out;
}
