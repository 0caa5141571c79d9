/**
 * The last day every replayed EIA dataset covers: the minimum, over the CSV files of a replay
 * folder, of each file's last period. A daily file covers up to its last date; a monthly file
 * (periods `YYYY-MM`, or monthly averages dated mid-month) covers to the end of its last month.
 *
 * run.sh pins GL_AS_OF to it in replay mode: the ledger's 365 days then end where both the prices
 * and the state production still have data, so no mart or report section is left "pending".
 * Usage: `tsx scripts/replay-as-of.ts <dir>` prints `YYYY-MM-DD`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DatasetCoverage {
  file: string;
  lastPeriod: string;
  coversThrough: string;
}

function endOfMonth(yearMonth: string): string {
  const [year, month] = yearMonth.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

export function datasetCoverage(file: string): DatasetCoverage | undefined {
  const periods = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(',')[0]?.trim() ?? '')
    .filter((period) => /^\d{4}-\d{2}(-\d{2})?$/.test(period));
  if (!periods.length) return undefined;
  const lastPeriod = periods.reduce((a, b) => (b > a ? b : a));
  const monthly = lastPeriod.length === 7 || /monthly/i.test(path.basename(file));
  return { file, lastPeriod, coversThrough: monthly ? endOfMonth(lastPeriod.slice(0, 7)) : lastPeriod };
}

export function replayCoverage(dir: string): DatasetCoverage[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.csv'))
    .sort()
    .flatMap((name) => datasetCoverage(path.join(dir, name)) ?? []);
}

/** The last day all datasets cover, or undefined for a folder without EIA CSV files. */
export function replayAsOf(dir: string): string | undefined {
  const ends = replayCoverage(dir).map((d) => d.coversThrough);
  return ends.length ? ends.reduce((a, b) => (b < a ? b : a)) : undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  const asOf = dir ? replayAsOf(dir) : undefined;
  if (!asOf) {
    console.error(`usage: replay-as-of.ts <folder of EIA CSV files>${dir ? ` (none found in ${dir})` : ''}`);
    process.exit(2);
  }
  console.log(asOf);
}
