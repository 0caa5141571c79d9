/**
 * What the pipeline ingests from EIA: one entry per series id. Adding a series is adding an
 * entry here (its route, frequency and facets as EIA publishes them).
 */
export type EiaFrequency = 'daily' | 'weekly' | 'monthly' | 'annual';

export interface EiaSeries {
  /** EIA series id, the catalog key, the batch entity and the watermark key. */
  id: string;
  /** Human name for logs. */
  name: string;
  /** API v2 route without /data, e.g. 'petroleum/pri/spt'. */
  route: string;
  frequency: EiaFrequency;
  /** Facet values that identify the series on its route (documentation and replay metadata). */
  facets: { series: string; duoarea: string; product: string; process: string };
  /** First period of a first run, in the frequency's format. */
  defaultStart: string;
  units: string;
}

const PRICE_START = '2015-01-01';
const PRODUCTION_START = '2015-01';

function production(state: string, name: string, duoarea = `S${state}`): EiaSeries {
  return {
    id: `MCRFP${state}1`,
    name: `${name} crude oil field production`,
    route: 'petroleum/crd/crpdn',
    frequency: 'monthly',
    facets: { series: `MCRFP${state}1`, duoarea, product: 'EPC0', process: 'FPF' },
    defaultStart: PRODUCTION_START,
    units: 'MBBL',
  };
}

export const EIA_CATALOG: readonly EiaSeries[] = [
  {
    id: 'RWTC',
    name: 'WTI Cushing spot price',
    route: 'petroleum/pri/spt',
    frequency: 'daily',
    facets: { series: 'RWTC', duoarea: 'YCUOK', product: 'EPCWTI', process: 'PF4' },
    defaultStart: PRICE_START,
    units: '$/BBL',
  },
  {
    id: 'RBRTE',
    name: 'Brent Europe spot price',
    route: 'petroleum/pri/spt',
    frequency: 'daily',
    facets: { series: 'RBRTE', duoarea: 'ZEU', product: 'EPCBRENT', process: 'PF4' },
    defaultStart: PRICE_START,
    units: '$/BBL',
  },
  {
    id: 'RNGWHHD',
    name: 'Henry Hub natural gas spot price',
    route: 'natural-gas/pri/fut',
    frequency: 'daily',
    facets: { series: 'RNGWHHD', duoarea: 'RGC', product: 'EPG0', process: 'PS0' },
    defaultStart: PRICE_START,
    units: '$/MMBTU',
  },
  production('TX', 'Texas'),
  production('NM', 'New Mexico'),
  production('ND', 'North Dakota'),
  production('CO', 'Colorado'),
  production('OK', 'Oklahoma'),
  production('LA', 'Louisiana'),
  production('PA', 'Pennsylvania'),
  production('US', 'U.S.', 'NUS'),
];

const BY_ID = new Map(EIA_CATALOG.map((s) => [s.id, s]));

export function getSeries(id: string): EiaSeries | undefined {
  return BY_ID.get(id);
}

/** The catalog entries for `ids` (all when empty); an unknown id is an error listing the known ones. */
export function selectSeries(ids: readonly string[] = []): EiaSeries[] {
  if (ids.length === 0) return [...EIA_CATALOG];
  const unknown = ids.filter((id) => !BY_ID.has(id));
  if (unknown.length) {
    throw new Error(
      `unknown EIA series ${unknown.join(', ')}; the catalog has ${EIA_CATALOG.map((s) => s.id).join(', ')}`,
    );
  }
  return [...new Set(ids)].map((id) => BY_ID.get(id)!);
}

/** How far back every incremental run re-reads, so EIA's revisions are picked up. */
export const LOOK_BACK: Record<EiaFrequency, { days?: number; months?: number; years?: number }> = {
  daily: { days: 14 },
  weekly: { days: 28 },
  monthly: { months: 24 },
  annual: { years: 2 },
};
