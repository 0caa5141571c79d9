import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PriceDeck } from '../domain/prices.ts';
import type { MonthIndex } from './calendar.ts';

/**
 * Reads a price deck from a folder of EIA-format monthly averages, the files EIA's spreadsheets
 * convert to (see ../shared/data/eia/README.md): `wti-monthly.csv` (`Date,Price`, dated on the
 * 15th) and `henry-hub-monthly.csv` (`Month,Price`, `YYYY-MM`). A small reader of our own: the
 * service may not import ingestion code, and two columns need no CSV library.
 */
export const DECK_FILES = { wti: 'wti-monthly.csv', henryHub: 'henry-hub-monthly.csv' } as const;

const ROW = /^(\d{4})-(\d{2})(?:-\d{2})?,(-?\d*\.?\d+)\s*$/;

function readSeries(file: string): Map<MonthIndex, number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`GL_PRICE_DECK_DIR: cannot read ${file}: ${(error as Error).message}`);
  }
  const months = new Map<MonthIndex, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (i === 0 || line.trim() === '') return; // header
    const match = ROW.exec(line.trim());
    if (!match)
      throw new Error(`GL_PRICE_DECK_DIR: ${file} line ${i + 1} is not "YYYY-MM[-DD],price": ${line}`);
    months.set(Number(match[1]) * 12 + Number(match[2]) - 1, Number(match[3]));
  });
  if (months.size === 0) throw new Error(`GL_PRICE_DECK_DIR: ${file} holds no prices`);
  return months;
}

export function readPriceDeck(dir: string): PriceDeck {
  return {
    source: path.resolve(dir),
    wti: readSeries(path.join(dir, DECK_FILES.wti)),
    henryHub: readSeries(path.join(dir, DECK_FILES.henryHub)),
  };
}
