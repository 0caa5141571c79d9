/**
 * The EIA API v2 data query (`GET <route>/data/?frequency&data[]&facets[..][]&start&end&sort[..]&offset&length`),
 * declared once: the client encodes it, the replay server decodes it and answers it.
 */
import type { EiaFrequency } from './catalog.ts';

/** EIA answers at most this many rows per request. */
export const EIA_MAX_ROWS = 5000;

export interface EiaDataQuery {
  frequency: EiaFrequency;
  data: string[];
  facets: Record<string, string[]>;
  start?: string;
  end?: string;
  sort: Array<{ column: string; direction: 'asc' | 'desc' }>;
  offset: number;
  length: number;
}

export function encodeDataQuery(params: EiaDataQuery, apiKey?: string): URLSearchParams {
  const query = new URLSearchParams();
  query.set('frequency', params.frequency);
  params.data.forEach((column, i) => query.set(`data[${i}]`, column));
  for (const [facet, values] of Object.entries(params.facets)) {
    for (const value of values) query.append(`facets[${facet}][]`, value);
  }
  if (params.start) query.set('start', params.start);
  if (params.end) query.set('end', params.end);
  params.sort.forEach((s, i) => {
    query.set(`sort[${i}][column]`, s.column);
    query.set(`sort[${i}][direction]`, s.direction);
  });
  query.set('offset', String(params.offset));
  query.set('length', String(params.length));
  if (apiKey) query.set('api_key', apiKey);
  return query;
}

/** A data query as sent, before any check: the replay server validates it against its routes. */
export interface RawDataQuery {
  frequency: string | null;
  data: string[];
  facets: Record<string, string[]>;
  start: string | undefined;
  end: string | undefined;
  sort: Array<{ column?: string; direction?: string }>;
  offset: string | null;
  length: string | null;
}

export function decodeDataQuery(query: URLSearchParams): RawDataQuery {
  const data: string[] = [];
  const facets: Record<string, string[]> = {};
  const sort: Array<{ column?: string; direction?: string }> = [];
  for (const [key, value] of query) {
    let m: RegExpExecArray | null;
    if (/^data\[(\d*)\]$/.test(key)) data.push(value);
    else if ((m = /^facets\[([^\]]+)\]\[\d*\]$/.exec(key))) (facets[m[1]!] ??= []).push(value);
    else if ((m = /^sort\[(\d+)\]\[(column|direction)\]$/.exec(key))) {
      const i = Number(m[1]);
      sort[i] = { ...sort[i], [m[2]!]: value };
    }
  }
  return {
    frequency: query.get('frequency'),
    data,
    facets,
    start: query.get('start') || undefined,
    end: query.get('end') || undefined,
    sort: sort.filter((s) => s !== undefined),
    offset: query.get('offset'),
    length: query.get('length'),
  };
}
