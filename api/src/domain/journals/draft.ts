import type { Account } from '../accounts.ts';
import type { Product } from '../basins.ts';
import type { MonthIndex } from '../../generator/calendar.ts';
import type { Subledger, VolumeUom } from '../../../../contracts/enums.ts';

/** A GL line before the ledger has numbered its journal. Amounts are integer cents. */
export interface LineDraft {
  account: Account;
  debit: number;
  credit: number;
  wellId: string | null;
  productionMonth: MonthIndex | null;
  product: Product | null;
  afeNumber: string | null;
  jibNumber: string | null;
  ownerId: string | null;
  volume: number | null;
  volumeUom: VolumeUom | null;
  unitPrice: number | null;
}

export interface JournalDraft {
  /** Identifies the business event (e.g. rev-actual:W-00001:2024-01:oil); fixes the journal's place in its day. */
  key: string;
  source: Subledger;
  description: string;
  /** The journal this one reverses, by its day and key; the ledger resolves it to a journal id. */
  reverses: { day: number; key: string } | null;
  lines: LineDraft[];
}

export type LineTags = Partial<Omit<LineDraft, 'account' | 'debit' | 'credit'>>;

// Spelled out rather than spread: this runs for every line and object spread is measurably slower.
function line(account: Account, debitCents: number, creditCents: number, t: LineTags): LineDraft {
  return {
    account,
    debit: debitCents,
    credit: creditCents,
    wellId: t.wellId ?? null,
    productionMonth: t.productionMonth ?? null,
    product: t.product ?? null,
    afeNumber: t.afeNumber ?? null,
    jibNumber: t.jibNumber ?? null,
    ownerId: t.ownerId ?? null,
    volume: t.volume ?? null,
    volumeUom: t.volumeUom ?? null,
    unitPrice: t.unitPrice ?? null,
  };
}

const NO_TAGS: LineTags = {};

export function debit(account: Account, cents: number, tags: LineTags = NO_TAGS): LineDraft {
  return line(account, cents, 0, tags);
}

export function credit(account: Account, cents: number, tags: LineTags = NO_TAGS): LineDraft {
  return line(account, 0, cents, tags);
}

/** A negative amount flips to the other side, so a line never shows a negative number. */
export function signed(line: LineDraft): LineDraft {
  if (line.debit < 0) return { ...line, debit: 0, credit: line.credit - line.debit };
  if (line.credit < 0) return { ...line, credit: 0, debit: line.debit - line.credit };
  return line;
}

/** Zero lines say nothing, so they are dropped (a tiny interest can round a share to 0). */
export function journal(draft: JournalDraft): JournalDraft | null {
  const lines: LineDraft[] = [];
  for (const l of draft.lines) if (l.debit !== 0 || l.credit !== 0) lines.push(signed(l));
  return lines.length >= 2 ? { ...draft, lines } : null;
}

export function swapSides(line: LineDraft): LineDraft {
  return { ...line, debit: line.credit, credit: line.debit };
}
