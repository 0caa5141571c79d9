/**
 * The replay server's data: the CSV files of a folder of real EIA data (../shared/data/eia),
 * turned into API v2 rows exactly as EIA serves them (every field a string, blank → null,
 * periods in the frequency's format, the facet fields of each series).
 *
 * Understood files: `Date,Price` or `Month,Price` two-column series (wti-*, brent-*,
 * henry-hub-*; daily or monthly by name; monthly rows dated on the 15th become `YYYY-MM`) and the
 * long format `period,series,series-description,value,units` (crude production by state).
 * CRLF or LF line ends; other files are ignored.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EiaFrequency } from '../catalog.ts';

export interface ReplayRow {
  period: string;
  duoarea: string;
  'area-name': string;
  product: string;
  'product-name': string;
  process: string;
  'process-name': string;
  series: string;
  'series-description': string;
  value: string | null;
  units: string;
}

export type SeriesFacets = Omit<ReplayRow, 'period' | 'value'>;

export interface ReplayRoute {
  /** e.g. 'petroleum/pri/spt' */
  route: string;
  name: string;
  description: string;
  /** Rows per frequency, sorted by period then series. */
  frequencies: Map<EiaFrequency, ReplayRow[]>;
}

export interface ReplayDataset {
  dir: string;
  routes: Map<string, ReplayRoute>;
  files: string[];
}

/** Facet fields of the price series, as EIA publishes them. */
const PRICE_SERIES: Record<string, { route: string } & SeriesFacets> = {
  RWTC: {
    route: 'petroleum/pri/spt',
    duoarea: 'YCUOK',
    'area-name': 'NA',
    product: 'EPCWTI',
    'product-name': 'WTI Crude Oil',
    process: 'PF4',
    'process-name': 'Spot Price FOB',
    series: 'RWTC',
    'series-description': 'Cushing, OK WTI Spot Price FOB (Dollars per Barrel)',
    units: '$/BBL',
  },
  RBRTE: {
    route: 'petroleum/pri/spt',
    duoarea: 'ZEU',
    'area-name': 'NA',
    product: 'EPCBRENT',
    'product-name': 'UK Brent Crude Oil',
    process: 'PF4',
    'process-name': 'Spot Price FOB',
    series: 'RBRTE',
    'series-description': 'Europe Brent Spot Price FOB (Dollars per Barrel)',
    units: '$/BBL',
  },
  RNGWHHD: {
    route: 'natural-gas/pri/fut',
    duoarea: 'RGC',
    'area-name': 'NA',
    product: 'EPG0',
    'product-name': 'Natural Gas',
    process: 'PS0',
    'process-name': 'Spot Price',
    series: 'RNGWHHD',
    'series-description': 'Henry Hub Natural Gas Spot Price (Dollars per Million Btu)',
    units: '$/MMBTU',
  },
};

const FILE_SERIES: Array<{ prefix: string; series: string }> = [
  { prefix: 'wti-', series: 'RWTC' },
  { prefix: 'brent-', series: 'RBRTE' },
  { prefix: 'henry-hub-', series: 'RNGWHHD' },
];

const ROUTE_INFO: Record<string, { name: string; description: string }> = {
  'petroleum/pri/spt': {
    name: 'Spot Prices',
    description: 'Spot prices for crude oil and petroleum products',
  },
  'natural-gas/pri/fut': {
    name: 'Natural Gas Spot and Futures Prices (NYMEX)',
    description: 'Natural gas spot and futures prices',
  },
  'petroleum/crd/crpdn': { name: 'Crude Oil Production', description: 'Crude oil field production' },
};

/** duoarea of a production series: MCRFPTX1 → STX, MCRFPUS1 → NUS, PADD MCRFPP31 → R30. */
export function productionDuoarea(series: string): string {
  const state = /^MCRFP([A-Z]{2})1$/.exec(series)?.[1];
  if (state === 'US') return 'NUS';
  if (state) return `S${state}`;
  const padd = /^MCRFPP(\d)1$/.exec(series)?.[1];
  if (padd) return `R${padd}0`;
  const odd = /_S([A-Z]{2})_/.exec(series)?.[1];
  if (odd) return `S${odd}`;
  return `R${series.replace(/^MCRFP|^MANFP|1$/g, '')}`;
}

function splitLines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim() !== '');
}

/** Minimal CSV field splitting with double-quote support (the files have no quotes, but be safe). */
function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

const blankToNull = (value: string | undefined): string | null =>
  value === undefined || value.trim() === '' ? null : value.trim();

function addRow(dataset: ReplayDataset, route: string, frequency: EiaFrequency, row: ReplayRow): void {
  let entry = dataset.routes.get(route);
  if (!entry) {
    const info = ROUTE_INFO[route] ?? { name: route, description: route };
    entry = { route, ...info, frequencies: new Map() };
    dataset.routes.set(route, entry);
  }
  let rows = entry.frequencies.get(frequency);
  if (!rows) entry.frequencies.set(frequency, (rows = []));
  rows.push(row);
}

function parsePriceFile(dataset: ReplayDataset, file: string, text: string): boolean {
  const match = FILE_SERIES.find((f) => file.startsWith(f.prefix));
  if (!match) return false;
  const { route, ...facets } = PRICE_SERIES[match.series]!;
  const lines = splitLines(text);
  const header = splitCsv(lines[0] ?? '').map((h) => h.trim().toLowerCase());
  if (header.length !== 2 || !['date', 'month'].includes(header[0]!) || header[1] !== 'price') {
    throw new Error(`${file}: expected a "Date,Price" or "Month,Price" header, got "${lines[0]}"`);
  }
  const frequency: EiaFrequency = file.includes('monthly') ? 'monthly' : 'daily';
  for (const line of lines.slice(1)) {
    const [date = '', price] = splitCsv(line);
    const period = frequency === 'monthly' ? date.trim().slice(0, 7) : date.trim();
    addRow(dataset, route, frequency, {
      period,
      duoarea: facets.duoarea,
      'area-name': facets['area-name'],
      product: facets.product,
      'product-name': facets['product-name'],
      process: facets.process,
      'process-name': facets['process-name'],
      series: facets.series,
      'series-description': facets['series-description'],
      value: blankToNull(price),
      units: facets.units,
    });
  }
  return true;
}

function parseLongFile(dataset: ReplayDataset, file: string, text: string): boolean {
  const lines = splitLines(text);
  const header = splitCsv(lines[0] ?? '').map((h) => h.trim());
  if (header.join(',') !== 'period,series,series-description,value,units') return false;
  for (const line of lines.slice(1)) {
    const [period = '', series = '', description = '', value, units = ''] = splitCsv(line);
    const areaName = description.replace(/ Field Production.*$/, '');
    addRow(dataset, 'petroleum/crd/crpdn', period.length === 4 ? 'annual' : 'monthly', {
      period: period.trim(),
      duoarea: productionDuoarea(series),
      'area-name': areaName,
      product: 'EPC0',
      'product-name': 'Crude Oil',
      process: 'FPF',
      'process-name': 'Field Production',
      series: series.trim(),
      'series-description': description,
      value: blankToNull(value),
      units: units.trim(),
    });
  }
  return true;
}

const cache = new Map<string, Promise<ReplayDataset>>();

/** Reads (once per folder and process) every understood CSV file of `dir`. Treat the result as read-only. */
export function loadReplayDataset(dir: string): Promise<ReplayDataset> {
  const key = path.resolve(dir);
  let pending = cache.get(key);
  if (!pending) {
    pending = readDataset(key);
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

async function readDataset(dir: string): Promise<ReplayDataset> {
  const dataset: ReplayDataset = { dir, routes: new Map(), files: [] };
  const names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.csv')).sort();
  for (const name of names) {
    const text = await readFile(path.join(dir, name), 'utf8');
    if (parsePriceFile(dataset, name, text) || parseLongFile(dataset, name, text)) dataset.files.push(name);
  }
  if (dataset.files.length === 0) throw new Error(`no EIA CSV files understood in ${dir}`);
  for (const route of dataset.routes.values()) {
    for (const rows of route.frequencies.values()) {
      rows.sort((a, b) =>
        a.period < b.period
          ? -1
          : a.period > b.period
            ? 1
            : a.series < b.series
              ? -1
              : a.series > b.series
                ? 1
                : 0,
      );
    }
  }
  return dataset;
}
