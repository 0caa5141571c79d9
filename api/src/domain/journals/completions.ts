import type { Account } from '../accounts.ts';
import { ACCOUNTS } from '../accounts.ts';
import type { Afe } from '../afes.ts';
import { shareOf } from '../money.ts';
import { monthOfDay } from '../../generator/calendar.ts';
import type { LedgerContext } from './context.ts';
import type { Well } from '../wells.ts';
import type { JournalDraft, LineDraft } from './draft.ts';
import { credit, debit, journal } from './draft.ts';
import { wellMonthCosts } from './jib.ts';

export const CAPITAL = new Set<Account>([ACCOUNTS.wipIdc, ACCOUNTS.wipCompletion, ACCOUNTS.wipFacilities]);

/**
 * On its first production date a well is complete: the company's net share of the capital in
 * wells in progress (gross cost less the partners' shares, computed exactly as JIB bills them)
 * moves to proved oil & gas properties, AFE by AFE. Partners' shares billed after this date still
 * credit wells in progress, which nets every AFE there to zero.
 */
export function completedWellTransfers(ctx: LedgerContext, day: number): JournalDraft[] {
  const out: JournalDraft[] = [];
  for (const well of ctx.wells) {
    if (well.firstProductionDay !== day) continue;
    const lines: LineDraft[] = [];
    for (const { account, afe, cents } of completedWellNet(ctx, well)) {
      lines.push(
        debit(ACCOUNTS.provedProperties, cents, { wellId: well.id, afeNumber: afe.number }),
        credit(account, cents, { wellId: well.id, afeNumber: afe.number }),
      );
    }
    const j = journal({
      key: `wip-transfer:${well.id}`,
      source: 'gl',
      description: `Transfer completed well costs to proved properties - ${well.name}`,
      reverses: null,
      lines,
    });
    if (j) out.push(j);
  }
  return out;
}

/** What a well's completion moves to proved properties: per capital account and AFE, gross less the partners' shares. */
export function completedWellNet(
  ctx: LedgerContext,
  well: Well,
): { account: Account; afe: Afe; cents: number }[] {
  const afes = (ctx.afesByWell.get(well.index) ?? []).filter((a) => a.type !== 'workover');
  if (afes.length === 0) return [];
  const partners = well.interests.filter((i) => i.type === 'WI' && i.ownerId !== well.interests[0]?.ownerId);
  const net = new Map<string, { account: Account; afe: Afe; cents: number }>();
  const firstMonth = monthOfDay(Math.min(...afes.map((a) => a.startDay)));
  for (let month = firstMonth; month <= monthOfDay(well.firstProductionDay); month++) {
    for (const bucket of wellMonthCosts(ctx, well, month)) {
      if (!CAPITAL.has(bucket.account) || !bucket.afe) continue;
      const partnerShare = partners.reduce((sum, p) => sum + shareOf(bucket.cents, p.wiUnits ?? 0), 0);
      const key = `${bucket.account.number}|${bucket.afe.number}`;
      const entry = net.get(key) ?? { account: bucket.account, afe: bucket.afe, cents: 0 };
      entry.cents += bucket.cents - partnerShare;
      net.set(key, entry);
    }
  }
  return [...net.values()];
}
