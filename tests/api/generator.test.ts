import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { dayFromIso, isoDate } from '../../api/src/generator/calendar.ts';
import { Ledger } from '../../api/src/generator/ledger.ts';
import { generateLines } from '../../api/src/generator/lines.ts';
import { referenceData } from '../../api/src/generator/reference.ts';
import { INTEREST_UNITS } from '../../api/src/domain/money.ts';
import { COMPANY } from '../../api/src/domain/owners.ts';
import { GlLineSchema } from '../../contracts/gl-line.ts';
import { WellSchema } from '../../contracts/reference.ts';
import type { GlLine } from '../../contracts/gl-line.ts';

const cents = (s: string) => Math.round(Number(s) * 100);
const units = (s: string) => Math.round(Number(s) * INTEREST_UNITS);

/** Two months and a bit, so month ends, reversals, remittances, JIB and payments all occur. */
const FROM = '2023-11-25';
const TO = '2024-01-31';

async function collect(ledger: Ledger): Promise<GlLine[]> {
  const out: GlLine[] = [];
  for await (const line of generateLines(ledger, FROM, TO)) out.push(line);
  return out;
}

describe('GL generator', () => {
  const ledger = new Ledger({ seed: 42, wells: 40 });
  const linesPromise = collect(ledger);

  it('is a pure function of the seed: a second ledger yields the same lines', async () => {
    const again = await collect(new Ledger({ seed: 42, wells: 40 }));
    expect(JSON.stringify(again)).toBe(JSON.stringify(await linesPromise));
    const other = await collect(new Ledger({ seed: 7, wells: 40 }));
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(await linesPromise));
  });

  it('produces a day the same whether generated alone or in sequence', async () => {
    const day = dayFromIso('2024-01-01');
    const alone = new Ledger({ seed: 42, wells: 40 }).journalsForDay(day);
    const inSequence = (await linesPromise).filter((l) => l.posting_date === '2024-01-01');
    expect(alone.flatMap((j) => j.lines)).toEqual(inSequence);
  });

  it('every line matches the published schema and every journal balances to the cent', async () => {
    const byJournal = new Map<string, { debit: number; credit: number }>();
    const ids = new Set<string>();
    for (const line of await linesPromise) {
      expect(Value.Check(GlLineSchema, line), JSON.stringify([...Value.Errors(GlLineSchema, line)][0])).toBe(
        true,
      );
      expect(ids.has(line.line_id)).toBe(false);
      ids.add(line.line_id);
      expect(cents(line.debit) === 0 || cents(line.credit) === 0).toBe(true);
      const sum = byJournal.get(line.journal_id) ?? { debit: 0, credit: 0 };
      sum.debit += cents(line.debit);
      sum.credit += cents(line.credit);
      byJournal.set(line.journal_id, sum);
    }
    expect(byJournal.size).toBeGreaterThan(1000);
    for (const [id, sum] of byJournal) expect(sum.debit, id).toBe(sum.credit);
  });

  it('books every sub-ledger with the fields the contract asks for', async () => {
    const lines = await linesPromise;
    const sources = new Set(lines.map((l) => l.source));
    expect([...sources].sort()).toEqual(['ap', 'cash', 'gl', 'jib', 'revenue']);
    const revenue = lines.filter((l) => l.source === 'revenue');
    expect(
      revenue.every((l) => l.production_month && l.product && l.well_id && l.volume && l.unit_price),
    ).toBe(true);
    expect(lines.filter((l) => l.source === 'jib').every((l) => l.jib_number && l.owner_id)).toBe(true);
    expect(lines.some((l) => l.afe_number !== null && l.source === 'ap')).toBe(true);
    expect(
      lines
        .filter((l) => l.volume !== null)
        .every((l) => l.volume_uom === (l.product === 'gas' ? 'mcf' : 'bbl')),
    ).toBe(true);
  });

  it('reverses each month-end accrual on day 1 with reverses_journal_id', async () => {
    const lines = await linesPromise;
    const byJournal = new Map<string, GlLine[]>();
    for (const l of lines) byJournal.set(l.journal_id, [...(byJournal.get(l.journal_id) ?? []), l]);
    const reversals = lines.filter((l) => l.reverses_journal_id !== null && l.line_no === 1);
    expect(reversals.length).toBeGreaterThan(0);
    for (const first of reversals) {
      expect(first.posting_date.endsWith('-01')).toBe(true);
      const original = byJournal.get(first.reverses_journal_id ?? '') ?? [];
      const reversal = byJournal.get(first.journal_id) ?? [];
      expect(original.length).toBe(reversal.length);
      original.forEach((o, i) => {
        expect(reversal[i]?.debit).toBe(o.credit);
        expect(reversal[i]?.credit).toBe(o.debit);
        expect(reversal[i]?.account_number).toBe(o.account_number);
      });
    }
  });

  it('pays each owner on the 28th exactly what December remittances credited them, and remits severance', async () => {
    const lines = await linesPromise;
    const december = lines.filter((l) => l.accounting_period === '2023-12');
    const credited = new Map<string, number>();
    for (const l of december.filter((l) => l.account_number === '2100' && l.source === 'revenue')) {
      credited.set(
        l.owner_id ?? '',
        (credited.get(l.owner_id ?? '') ?? 0) + cents(l.credit) - cents(l.debit),
      );
    }
    const paid = new Map<string, number>();
    for (const l of december.filter((l) => l.account_number === '2100' && l.source === 'cash')) {
      expect(l.posting_date).toBe('2023-12-28');
      paid.set(l.owner_id ?? '', (paid.get(l.owner_id ?? '') ?? 0) + cents(l.debit));
    }
    expect(credited.size).toBeGreaterThan(10);
    expect(paid).toEqual(credited);
    const withheld = december
      .filter((l) => l.account_number === '2200' && l.description.includes('remittance from'))
      .reduce((s, l) => s + cents(l.credit) - cents(l.debit), 0);
    const remitted = lines
      .filter((l) => l.account_number === '2200' && l.source === 'cash' && l.posting_date === '2024-01-25')
      .reduce((s, l) => s + cents(l.debit), 0);
    expect(remitted).toBe(withheld);
  });

  it('books no revenue before a well first produces', async () => {
    const reference = referenceData(ledger, dayFromIso(TO));
    const firstProduction = new Map(reference.wells.map((w) => [w.well_id, w.first_production_date]));
    const startsInside = reference.wells.filter((w) => w.first_production_date > '2022-01-01');
    expect(startsInside.length).toBeGreaterThan(0);
    for (const line of (await linesPromise).filter((l) => l.production_month !== null)) {
      const fp = firstProduction.get(line.well_id ?? '') ?? '';
      expect(line.production_month! >= fp.slice(0, 7), `${line.line_id} ${fp}`).toBe(true);
      expect(line.posting_date > fp).toBe(true);
    }
  });
});

describe('capital accounting', () => {
  it('moves a completed well to proved properties and nets every AFE in wells in progress to zero', async () => {
    const ledger = new Ledger({ seed: 42, wells: 12 });
    const well = ledger.wells.find(
      (w) => isoDate(w.firstProductionDay) >= '2023-06-01' && isoDate(w.firstProductionDay) <= '2025-06-01',
    );
    expect(well).toBeDefined();
    const afes = ledger.afes.filter((a) => a.well === well && a.type !== 'workover');
    const from = isoDate(Math.min(...afes.map((a) => a.startDay)));
    const to = isoDate(well!.firstProductionDay + 70);
    const wip = new Map<string, number>();
    let proved = 0;
    for await (const line of generateLines(ledger, from, to)) {
      if (line.well_id !== well!.id) continue;
      const amount = cents(line.debit) - cents(line.credit);
      if (['1400', '1410', '1420'].includes(line.account_number))
        wip.set(line.afe_number ?? '', (wip.get(line.afe_number ?? '') ?? 0) + amount);
      if (line.account_number === '1500') proved += amount;
    }
    expect([...wip.keys()].sort()).toEqual(afes.map((a) => a.number).sort());
    for (const [afe, balance] of wip) expect(balance, afe).toBe(0);
    expect(proved).toBeGreaterThan(0);
  });
});

describe('reference data', () => {
  const ledger = new Ledger({ seed: 42, wells: 300 });
  const reference = referenceData(ledger, dayFromIso('2024-01-31'));

  it('gives every well a valid API number, interests that sum to 1 and a bounded company NRI', () => {
    const stateCodes: Record<string, string> = {
      TX: '42',
      NM: '30',
      ND: '33',
      CO: '05',
      OK: '35',
      LA: '17',
      PA: '37',
    };
    const apis = new Set<string>();
    for (const well of reference.wells) {
      expect(Value.Check(WellSchema, well)).toBe(true);
      expect(well.api_number.slice(0, 2)).toBe(stateCodes[well.state]);
      expect(apis.has(well.api_number)).toBe(false);
      apis.add(well.api_number);
      const wi = well.interests.filter((i) => i.interest_type === 'WI');
      const royalty = well.interests
        .filter((i) => i.interest_type === 'RI')
        .reduce((s, i) => s + units(i.revenue_interest), 0);
      expect(
        wi.reduce((s, i) => s + units(i.working_interest ?? '0'), 0),
        well.well_id,
      ).toBe(INTEREST_UNITS);
      expect(
        well.interests.reduce((s, i) => s + units(i.revenue_interest), 0),
        well.well_id,
      ).toBe(INTEREST_UNITS);
      const company = wi.find((i) => i.owner_id === COMPANY.id);
      expect(company, well.well_id).toBeDefined();
      const companyWi = units(company!.working_interest!);
      expect(units(company!.revenue_interest)).toBeLessThanOrEqual(
        (companyWi * (INTEREST_UNITS - royalty)) / INTEREST_UNITS,
      );
      expect(new Set(well.interests.map((i) => i.owner_id)).size).toBe(well.interests.length);
    }
  });

  it('covers the seven basin states and wells that come online inside the history', () => {
    expect(new Set(reference.wells.map((w) => w.state))).toEqual(
      new Set(['TX', 'NM', 'ND', 'CO', 'OK', 'LA', 'PA']),
    );
    const inWindow = reference.wells.filter(
      (w) => w.first_production_date > '2023-01-31' && w.first_production_date <= '2024-01-31',
    );
    expect(inWindow.length).toBeGreaterThan(5);
  });

  it('references only known owners, and AFEs only known wells', () => {
    const owners = new Set(reference.owners.map((o) => o.owner_id));
    for (const well of reference.wells)
      for (const i of well.interests) expect(owners.has(i.owner_id)).toBe(true);
    const wells = new Set(reference.wells.map((w) => w.well_id));
    expect(reference.afes.every((a) => wells.has(a.well_id))).toBe(true);
    expect(new Set(reference.afes.map((a) => a.afe_number)).size).toBe(reference.afes.length);
    expect(new Set(reference.afes.map((a) => a.afe_type))).toEqual(
      new Set(['drill', 'complete', 'facility', 'workover']),
    );
  });

  it('formats dates as ISO', () => {
    expect(isoDate(dayFromIso('2024-02-29'))).toBe('2024-02-29');
  });
});
