import { CHART_OF_ACCOUNTS } from '../domain/accounts.ts';
import { centsToString, interestString } from '../domain/money.ts';
import type { Well } from '../domain/wells.ts';
import type { AccountDto, AfeDto, OwnerDto, WellDto } from '../../../contracts/reference.ts';
import { isoDate } from './calendar.ts';
import type { Ledger } from './ledger.ts';

export interface ReferenceData {
  wells: WellDto[];
  owners: OwnerDto[];
  accounts: AccountDto[];
  afes: AfeDto[];
}

/** Well and AFE status are "as of GL_AS_OF"; everything else is fixed by the seed. */
function wellStatus(ledger: Ledger, well: Well, asOfDay: number): WellDto['status'] {
  if (well.firstProductionDay <= asOfDay) return 'producing';
  const afes = ledger.afes.filter((a) => a.well === well);
  const drill = afes.find((a) => a.type === 'drill');
  if (drill && asOfDay < drill.startDay) return 'permitted';
  const complete = afes.find((a) => a.type === 'complete');
  if (complete && asOfDay >= complete.startDay) return 'completing';
  return 'drilling';
}

export function referenceData(ledger: Ledger, asOfDay: number): ReferenceData {
  return {
    wells: ledger.wells.map((w) => ({
      well_id: w.id,
      api_number: w.apiNumber,
      well_name: w.name,
      basin: w.basin.name,
      state: w.basin.state,
      county: w.county.name,
      first_production_date: isoDate(w.firstProductionDay),
      status: wellStatus(ledger, w, asOfDay),
      decline: w.decline,
      interests: w.interests.map((i) => ({
        owner_id: i.ownerId,
        interest_type: i.type,
        working_interest: i.wiUnits === null ? null : interestString(i.wiUnits),
        revenue_interest: interestString(i.riUnits),
      })),
    })),
    owners: ledger.owners.all.map((o) => ({ owner_id: o.id, name: o.name, owner_type: o.type })),
    accounts: CHART_OF_ACCOUNTS.map((a) => ({
      account_number: a.number,
      name: a.name,
      account_type: a.type,
      category: a.category,
      normal_balance: a.normalBalance,
    })),
    afes: ledger.afes.map((a) => ({
      afe_number: a.number,
      afe_type: a.type,
      well_id: a.well.id,
      description: a.description,
      gross_budget: centsToString(a.grossBudgetCents),
      status: a.endDay + 60 < asOfDay ? 'closed' : 'open',
      approved_date: isoDate(a.approvedDay),
    })),
  };
}
