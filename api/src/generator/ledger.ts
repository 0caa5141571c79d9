import type { Afe } from '../domain/afes.ts';
import { buildAfes } from '../domain/afes.ts';
import type { LedgerContext } from '../domain/journals/context.ts';
import type { JournalDraft, LineDraft } from '../domain/journals/draft.ts';
import { apInvoices, apPayments } from '../domain/journals/ap.ts';
import { completedWellTransfers } from '../domain/journals/completions.ts';
import { monthlyDda } from '../domain/journals/dda.ts';
import { ownerDisbursements, severanceRemittances } from '../domain/journals/disbursements.ts';
import { jibBillings, jibReceipts } from '../domain/journals/jib.ts';
import { revenueAccruals, revenueActuals, revenueReversals } from '../domain/journals/revenue.ts';
import { centsToString, priceString, volumeString } from '../domain/money.ts';
import type { OwnerPools } from '../domain/owners.ts';
import { buildOwners } from '../domain/owners.ts';
import { keyHash } from '../domain/prng.ts';
import type { PriceDeck } from '../domain/prices.ts';
import { Pricing } from '../domain/prices.ts';
import { openingBalance } from '../domain/journals/opening.ts';
import type { Well } from '../domain/wells.ts';
import { buildWells } from '../domain/wells.ts';
import type { GlLine } from '../../../contracts/gl-line.ts';
import { isoDate, isoMonth, monthOfDay, SECONDS_PER_DAY } from './calendar.ts';

export interface LedgerOptions {
  seed: number;
  wells: number;
  /** Monthly benchmarks to price production off; without one, the seeded price model. */
  priceDeck?: PriceDeck | null | undefined;
  /** First day of the served history: its opening trial balance is posted that day. */
  historyStart?: number | undefined;
}

/** A numbered journal: its lines, its place in the day and the instant it was posted. */
export interface Journal {
  id: string;
  day: number;
  /** 1-based position in the day; with the day it is the keyset for pagination. */
  seq: number;
  /** Unix seconds at which the journal is posted; decides which stream slot carries it. */
  postedAt: number;
  lines: GlLine[];
}

/** The sub-ledgers, each a pure function of (context, day). */
const SUBLEDGERS = [
  revenueReversals,
  revenueActuals,
  revenueAccruals,
  ownerDisbursements,
  severanceRemittances,
  apInvoices,
  apPayments,
  jibBillings,
  jibReceipts,
  completedWellTransfers,
  monthlyDda,
];

export function journalId(day: number, seq: number): string {
  return `GL-${isoDate(day).replaceAll('-', '')}-${String(seq).padStart(6, '0')}`;
}

/**
 * The ledger of one (seed, well count): reference data built once, journals built day by day on
 * demand. A day's journals depend only on the seed, the reference data and the date, so any day
 * can be produced alone, by any process, and always comes out the same.
 */
export class Ledger {
  readonly seed: number;
  readonly wells: readonly Well[];
  readonly owners: OwnerPools;
  readonly afes: readonly Afe[];
  readonly pricing: Pricing;
  readonly historyStart: number | undefined;
  private readonly ctx: LedgerContext;
  private readonly idMaps = new Map<number, Map<string, string>>();

  constructor(options: LedgerOptions) {
    this.seed = options.seed;
    this.owners = buildOwners(options.seed, options.wells);
    this.wells = buildWells(options.seed, options.wells, this.owners);
    const afesByWell = new Map<number, Afe[]>();
    for (const well of this.wells) afesByWell.set(well.index, buildAfes(options.seed, well));
    this.afes = [...afesByWell.values()].flat();
    const partnerWells = new Map<string, { well: Well; wiUnits: number }[]>();
    for (const partner of this.owners.partners) partnerWells.set(partner.id, []);
    for (const well of this.wells) {
      for (const i of well.interests) {
        if (i.type === 'WI' && i.wiUnits !== null)
          partnerWells.get(i.ownerId)?.push({ well, wiUnits: i.wiUnits });
      }
    }
    this.pricing = new Pricing(options.seed, options.priceDeck ?? null);
    this.historyStart = options.historyStart;
    this.ctx = { seed: options.seed, pricing: this.pricing, wells: this.wells, afesByWell, partnerWells };
  }

  /** What the sub-ledgers book from: for analyses that recompute the generator's own figures. */
  get context(): LedgerContext {
    return this.ctx;
  }

  /**
   * The day's journals in posting order. The order is a hash of (seed, day, business key), so
   * it looks like a real day's mix and does not depend on the order sub-ledgers run in; the
   * journals are then spread evenly over the 24 hours.
   */
  journalsForDay(day: number): Journal[] {
    const drafts = this.orderedDrafts(day);
    const count = drafts.length;
    const start = day * SECONDS_PER_DAY;
    const dates = { postingDate: isoDate(day), period: isoMonth(monthOfDay(day)) };
    const out: Journal[] = [];
    // The opening balance is journal 0 of the first day, at midnight: the day's other journals
    // keep their ids whether or not the history starts that day.
    const opening = day === this.historyStart ? openingBalance(this.ctx, day) : null;
    if (opening) {
      const id = journalId(day, 0);
      out.push({
        id,
        day,
        seq: 0,
        postedAt: start,
        lines: opening.lines.map((line, i) => toGlLine(line, opening, id, i + 1, dates, null)),
      });
    }
    return out.concat(
      drafts.map((draft, k) => {
        const seq = k + 1;
        const id = journalId(day, seq);
        const reverses = draft.reverses
          ? (this.journalIdsOfDay(draft.reverses.day).get(draft.reverses.key) ?? null)
          : null;
        return {
          id,
          day,
          seq,
          postedAt: start + Math.floor(((k + 0.5) * SECONDS_PER_DAY) / count),
          lines: draft.lines.map((line, i) => toGlLine(line, draft, id, i + 1, dates, reverses)),
        };
      }),
    );
  }

  private orderedDrafts(day: number): JournalDraft[] {
    const drafts = SUBLEDGERS.flatMap((book) => book(this.ctx, day));
    const ranked = drafts.map((d) => ({ d, rank: keyHash(this.seed, [day, d.key]) }));
    ranked.sort((a, b) => a.rank - b.rank || (a.d.key < b.d.key ? -1 : 1));
    return ranked.map((r) => r.d);
  }

  /** Journal ids of a day by business key: how a reversal finds the id of what it reverses. */
  private journalIdsOfDay(day: number): Map<string, string> {
    let ids = this.idMaps.get(day);
    if (!ids) {
      ids = new Map(this.orderedDrafts(day).map((d, k) => [d.key, journalId(day, k + 1)]));
      if (this.idMaps.size >= 4) this.idMaps.clear();
      this.idMaps.set(day, ids);
    }
    return ids;
  }
}

function toGlLine(
  line: LineDraft,
  draft: JournalDraft,
  journal: string,
  lineNo: number,
  dates: { postingDate: string; period: string },
  reverses: string | null,
): GlLine {
  // Property order is the schema's order: the JSON of equal lines is byte-identical.
  return {
    line_id: `${journal}-${lineNo < 10 ? '0' : ''}${lineNo}`,
    journal_id: journal,
    line_no: lineNo,
    posting_date: dates.postingDate,
    accounting_period: dates.period,
    account_number: line.account.number,
    debit: centsToString(line.debit),
    credit: centsToString(line.credit),
    source: draft.source,
    description: draft.description,
    well_id: line.wellId,
    production_month: line.productionMonth === null ? null : isoMonth(line.productionMonth),
    product: line.product,
    afe_number: line.afeNumber,
    jib_number: line.jibNumber,
    owner_id: line.ownerId,
    volume: line.volume === null ? null : volumeString(line.volume),
    volume_uom: line.volumeUom,
    unit_price: line.unitPrice === null ? null : priceString(line.unitPrice),
    reverses_journal_id: reverses,
  };
}
