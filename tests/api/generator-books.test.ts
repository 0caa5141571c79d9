/**
 * Prices follow the deck and the books hold together: realized oil tracks monthly WTI in every
 * basin (correlation >= 0.9) when the ledger is priced off the EIA deck; same seed + same deck
 * gives a byte-identical ledger; /health says which deck is in use; the history opens with a
 * trial balance, so every balance-sheet account has a controller's sign at every month end.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../api/src/build.ts';
import { PROJECT_ROOT } from '../../core/config.ts';
import { ACCOUNTS } from '../../api/src/domain/accounts.ts';
import { BASINS } from '../../api/src/domain/basins.ts';
import { settlement } from '../../api/src/domain/journals/revenue.ts';
import { producedInMonth } from '../../api/src/domain/production.ts';
import { dayFromIso, isoDate, monthEnd, monthOfDay } from '../../api/src/generator/calendar.ts';
import { Ledger } from '../../api/src/generator/ledger.ts';
import { generateLines } from '../../api/src/generator/lines.ts';
import { readPriceDeck } from '../../api/src/generator/price-deck.ts';
import type { GlLine } from '../../contracts/gl-line.ts';

const EIA_DIR = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'eia');
const haveDeck = existsSync(EIA_DIR);
const cents = (s: string) => Math.round(Number(s) * 100);

function correlation(xs: number[], ys: number[]): number {
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const [mx, my] = [mean(xs), mean(ys)];
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

describe.runIf(haveDeck)('pricing off the EIA deck', () => {
  const deck = readPriceDeck(EIA_DIR);

  it('reads the EIA monthly files: WTI and Henry Hub averages by month', () => {
    const jan2024 = 2024 * 12;
    expect(deck.wti.get(jan2024)).toBeCloseTo(74.15, 1);
    expect(deck.henryHub.get(jan2024)).toBeCloseTo(3.18, 1);
  });

  it('realized oil follows monthly WTI in every oil basin (correlation >= 0.9), gas follows Henry Hub x heat content', () => {
    const ledger = new Ledger({ seed: 42, wells: 300, priceDeck: deck });
    const months: number[] = [];
    for (let m = monthOfDay(dayFromIso('2023-02-01')); m <= monthOfDay(dayFromIso('2023-12-01')); m++)
      months.push(m);
    const wti = months.map((m) => deck.wti.get(m)!);
    for (const basin of BASINS.filter((b) => b.economics.oilDifferential[1] !== 0)) {
      const realized = months.map((m) => {
        let value = 0;
        let volume = 0;
        for (const well of ledger.wells.filter((w) => w.basin === basin && producedInMonth(w, m))) {
          const s = settlement(ledger.context, well, 'oil', m);
          if (s) {
            value += s.sale.grossCents / 100;
            volume += s.sale.volume;
          }
        }
        return value / volume;
      });
      expect(correlation(realized, wti), basin.id).toBeGreaterThanOrEqual(0.9);
      const [lo, hi] = basin.economics.oilDifferential;
      realized.forEach((p, i) => expect(p - wti[i]!, `${basin.id} ${i}`).toBeGreaterThan(lo - 0.5));
      realized.forEach((p, i) => expect(p - wti[i]!, `${basin.id} ${i}`).toBeLessThan(hi + 0.5));
    }
    const haynesville = BASINS.find((b) => b.id === 'haynesville')!;
    const month = monthOfDay(dayFromIso('2023-10-01'));
    const gas = ledger.pricing.basinPrice(haynesville, 'gas', month);
    const [dlo, dhi] = haynesville.economics.gasDifferential;
    const hh = deck.henryHub.get(month)!;
    expect(gas).toBeGreaterThanOrEqual((hh + dlo) * haynesville.economics.heatContent - 1e-4);
    expect(gas).toBeLessThanOrEqual((hh + dhi) * haynesville.economics.heatContent + 1e-4);
  });

  it('same seed and same deck give a byte-identical ledger; another deck changes it', async () => {
    const collect = async (ledger: Ledger) => {
      const out: GlLine[] = [];
      for await (const line of generateLines(ledger, '2023-11-27', '2023-12-02')) out.push(line);
      return JSON.stringify(out);
    };
    const a = await collect(new Ledger({ seed: 42, wells: 30, priceDeck: readPriceDeck(EIA_DIR) }));
    const b = await collect(new Ledger({ seed: 42, wells: 30, priceDeck: readPriceDeck(EIA_DIR) }));
    expect(b).toBe(a);
    expect(await collect(new Ledger({ seed: 42, wells: 30 }))).not.toBe(a);
  });

  it('says in /health which deck prices the ledger', async () => {
    const withDeck = await buildServer({
      seed: 42,
      wells: 5,
      asOf: '2024-01-31',
      streamIntervalS: 30,
      priceDeckDir: EIA_DIR,
    });
    const without = await buildServer({ seed: 42, wells: 5, asOf: '2024-01-31', streamIntervalS: 30 });
    try {
      const deckInfo = (await withDeck.inject({ url: '/health' })).json().price_deck;
      expect(deckInfo).toMatchObject({
        kind: 'eia_monthly',
        source: EIA_DIR,
        wti_months: '1986-01..2026-07',
      });
      expect((await without.inject({ url: '/health' })).json().price_deck).toMatchObject({
        kind: 'seeded_model',
        wti_months: null,
      });
    } finally {
      await withDeck.close();
      await without.close();
    }
  });
});

describe('opening trial balance', () => {
  const historyStart = dayFromIso('2023-01-31');
  const ledger = new Ledger({ seed: 42, wells: 60, historyStart });

  it('is journal 0 of the first day, balances, and leaves the other journals of the day as they were', () => {
    const first = ledger.journalsForDay(historyStart);
    const opening = first[0]!;
    expect(opening.id).toBe('GL-20230131-000000');
    expect(opening.lines.reduce((s, l) => s + cents(l.debit) - cents(l.credit), 0)).toBe(0);
    const accounts = new Set(opening.lines.map((l) => l.account_number));
    for (const a of [
      ACCOUNTS.cash,
      ACCOUNTS.accountsPayable,
      ACCOUNTS.provedProperties,
      ACCOUNTS.accumulatedDda,
      ACCOUNTS.arJib,
      ACCOUNTS.retainedEarnings,
    ])
      expect(accounts.has(a.number), a.name).toBe(true);
    const plain = new Ledger({ seed: 42, wells: 60 }).journalsForDay(historyStart);
    expect(first.slice(1)).toEqual(plain);
  });

  it('gives every balance-sheet account its normal sign at every month end of the history', async () => {
    const balances = new Map<string, number>();
    const wrong: string[] = [];
    const normal = new Map(Object.values(ACCOUNTS).map((a) => [a.number, a]));
    const checkAt = (date: string) => {
      for (const [number, cents] of balances) {
        const account = normal.get(number)!;
        if (!['asset', 'liability'].includes(account.type)) continue;
        const natural = account.normalBalance === 'debit' ? cents : -cents;
        // a balance may be zero; it must never sit on the wrong side (beyond a few cents of rounding)
        if (natural < -100) wrong.push(`${date} ${number} ${account.name}: ${(natural / 100).toFixed(2)}`);
      }
    };
    let lastDate = '';
    for await (const line of generateLines(ledger, isoDate(historyStart), '2024-01-30')) {
      if (lastDate && line.posting_date !== lastDate) {
        const day = dayFromIso(lastDate);
        if (day === monthEnd(monthOfDay(day))) checkAt(lastDate);
      }
      lastDate = line.posting_date;
      balances.set(
        line.account_number,
        (balances.get(line.account_number) ?? 0) + cents(line.debit) - cents(line.credit),
      );
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
