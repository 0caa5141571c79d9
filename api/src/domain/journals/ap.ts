import { ACCOUNTS } from '../accounts.ts';
import type { Invoice } from '../costs.ts';
import { invoicesFor } from '../costs.ts';
import { isoDate } from '../../generator/calendar.ts';
import type { LedgerContext } from './context.ts';
import type { JournalDraft } from './draft.ts';
import { credit, debit, journal } from './draft.ts';

/** Vendors are paid on net-30 terms: today's payment run settles the invoices entered 30 days ago. */
export const PAYMENT_TERMS_DAYS = 30;

function dayInvoices(ctx: LedgerContext, day: number): Invoice[] {
  const out: Invoice[] = [];
  for (const well of ctx.wells)
    out.push(...invoicesFor(ctx, well, ctx.afesByWell.get(well.index) ?? [], day));
  return out;
}

/** The operator pays 100% of every invoice and charges it to the well (and AFE for capital). */
export function apInvoices(ctx: LedgerContext, day: number): JournalDraft[] {
  const out: JournalDraft[] = [];
  for (const inv of dayInvoices(ctx, day)) {
    const wellId = inv.well.id;
    const j = journal({
      key: `ap:${inv.number}`,
      source: 'ap',
      description: `${inv.vendor} invoice ${inv.number} - ${inv.well.name}`,
      reverses: null,
      lines: [
        ...inv.lines.map((l) => debit(l.account, l.cents, { wellId, afeNumber: l.afe?.number ?? null })),
        credit(ACCOUNTS.accountsPayable, inv.totalCents, {
          wellId,
          afeNumber: inv.lines[0]?.afe?.number ?? null,
        }),
      ],
    });
    if (j) out.push(j);
  }
  return out;
}

/** One ACH payment per vendor per day: debit payable invoice by invoice, credit cash once. */
export function apPayments(ctx: LedgerContext, day: number): JournalDraft[] {
  const byVendor = new Map<string, Invoice[]>();
  for (const inv of dayInvoices(ctx, day - PAYMENT_TERMS_DAYS)) {
    const list = byVendor.get(inv.vendor);
    if (list) list.push(inv);
    else byVendor.set(inv.vendor, [inv]);
  }
  const out: JournalDraft[] = [];
  for (const [vendor, invoices] of byVendor) {
    const total = invoices.reduce((s, i) => s + i.totalCents, 0);
    const j = journal({
      key: `pay:${vendor}:${isoDate(day)}`,
      source: 'cash',
      description: `ACH payment to ${vendor} - ${invoices.length} invoice(s)`,
      reverses: null,
      lines: [
        ...invoices.map((inv) =>
          debit(ACCOUNTS.accountsPayable, inv.totalCents, {
            wellId: inv.well.id,
            afeNumber: inv.lines[0]?.afe?.number ?? null,
          }),
        ),
        credit(ACCOUNTS.cash, total),
      ],
    });
    if (j) out.push(j);
  }
  return out;
}
