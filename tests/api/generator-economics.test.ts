/**
 * The ledger tells the truth about the business: every basin's LOE, netback and DD&A per net BOE
 * and its first-year decline fall inside the ranges docs/economics.md states (and sources), for
 * the default seed and two others. The ranges are read from that page, so it cannot drift from
 * what is tested.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/config.ts';
import { dayFromIso, monthOfDay } from '../../api/src/generator/calendar.ts';
import { Ledger } from '../../api/src/generator/ledger.ts';
import { readPriceDeck } from '../../api/src/generator/price-deck.ts';
import { BASINS } from '../../api/src/domain/basins.ts';
import { basinFigures } from './economics.ts';

const EIA_DIR = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'eia');
const deck = existsSync(EIA_DIR) ? readPriceDeck(EIA_DIR) : null;

type Range = [number, number];
interface Expected {
  loe: Range;
  netback: Range;
  dda: Range;
  decline: Range;
}

/** The "Results the ledger must show" table of docs/economics.md. */
function statedRanges(): Map<string, Expected> {
  const text = readFileSync(path.join(PROJECT_ROOT, 'docs', 'economics.md'), 'utf8');
  const section = text.slice(text.indexOf('## Results the ledger must show'));
  const range = (cell: string): Range => {
    const [lo, hi] = cell.split('–').map((v) => Number(v.trim()));
    return [lo!, hi!];
  };
  const out = new Map<string, Expected>();
  for (const line of section.split('\n')) {
    const cells = line
      .split('|')
      .map((c) => c.trim())
      .filter(Boolean);
    if (cells.length !== 5 || !BASINS.some((b) => b.id === cells[0])) continue;
    out.set(cells[0]!, {
      loe: range(cells[1]!),
      netback: range(cells[2]!),
      dda: range(cells[3]!),
      decline: range(cells[4]!),
    });
  }
  return out;
}

const expected = statedRanges();
const FROM = monthOfDay(dayFromIso('2023-02-01'));
const TO = monthOfDay(dayFromIso('2023-12-01'));

describe('basin economics (docs/economics.md)', () => {
  it('states a range for every basin', () => {
    expect([...expected.keys()].sort()).toEqual(BASINS.map((b) => b.id).sort());
  });

  for (const seed of [42, 7, 2024]) {
    it(`seed ${seed}: LOE, netback, DD&A per BOE and first-year decline inside the stated ranges in every basin`, () => {
      const ledger = new Ledger({ seed, wells: 300, priceDeck: deck });
      const outside: string[] = [];
      for (const f of basinFigures(ledger, FROM, TO)) {
        const want = expected.get(f.basin)!;
        expect(f.wells, f.basin).toBeGreaterThan(5);
        const check = (name: string, value: number, [lo, hi]: Range) => {
          if (!(value >= lo && value <= hi))
            outside.push(`${f.basin} ${name} ${value.toFixed(2)} not in ${lo}-${hi}`);
        };
        check('LOE/BOE', f.loePerBoe, want.loe);
        check('netback/BOE', f.netbackPerBoe, want.netback);
        check('DD&A/BOE', f.ddaPerBoe, want.dda);
        check('first-year decline', f.firstYearDecline, want.decline);
      }
      expect(outside).toEqual([]);
    });
  }

  it('gives gas basins far lower costs per BOE than oil basins, and spreads capex by basin with some AFEs over budget', () => {
    const ledger = new Ledger({ seed: 42, wells: 300, priceDeck: deck });
    const figures = new Map(basinFigures(ledger, FROM, TO).map((f) => [f.basin, f]));
    for (const gas of ['haynesville', 'appalachia'])
      for (const oil of ['permian-midland', 'bakken', 'eagle-ford'])
        expect(figures.get(gas)!.loePerBoe * 2).toBeLessThan(figures.get(oil)!.loePerBoe);
    expect(figures.get('haynesville')!.capexPerWell).toBeGreaterThan(
      figures.get('eagle-ford')!.capexPerWell * 1.5,
    );
    const capital = ledger.afes.filter((a) => a.type !== 'workover');
    const over = capital.filter((a) => a.dailyCost * (a.endDay - a.startDay + 1) * 100 > a.grossBudgetCents);
    expect(over.length / capital.length).toBeGreaterThan(0.1);
    expect(over.length / capital.length).toBeLessThan(0.4);
  });
});
