/**
 * The replay's routes: a request → the answer api.eia.gov would give (status and JSON body),
 * over a ReplayDataset. Pure: no sockets, no faults (./server.ts adds those).
 */
import type http from 'node:http';
import type { EiaFrequency } from '../catalog.ts';
import { DATE_FORMATS } from '../periods.ts';
import { decodeDataQuery, EIA_MAX_ROWS, type EiaDataQuery } from '../query.ts';
import type { ReplayDataset, ReplayRoute, ReplayRow } from './dataset.ts';

export const API_VERSION = '2.1.13';
const FACETS = ['duoarea', 'product', 'process', 'series'] as const;
const FACET_NAMES: Record<(typeof FACETS)[number], { description: string; nameField: keyof ReplayRow }> = {
  duoarea: { description: 'Area', nameField: 'area-name' },
  product: { description: 'Product', nameField: 'product-name' },
  process: { description: 'Process', nameField: 'process-name' },
  series: { description: 'Series', nameField: 'series-description' },
};
const FREQUENCY_INFO: Record<EiaFrequency, { description: string; query: string }> = {
  daily: { description: 'Daily', query: 'D' },
  weekly: { description: 'Weekly', query: 'W' },
  monthly: { description: 'Monthly', query: 'M' },
  annual: { description: 'Annual', query: 'A' },
};
const INCOMPLETE_RETURN = {
  warning: 'incomplete return',
  description:
    'The API can only return 5000 rows in JSON format.  Please consider constraining your request with facet, start, or end, or using offset to paginate results.',
};

/** A failure to serve instead of the real answer (fault injection for tests). */
export interface ReplayRequestInfo {
  /** path after /v2, e.g. 'petroleum/pri/spt/data' */
  path: string;
  query: URLSearchParams;
  /** 1 for the server's first request */
  n: number;
}

export interface ReplayAnswer {
  status: number;
  body: unknown;
  info?: ReplayRequestInfo;
}

export interface RouterSettings {
  /** A request without api_key gets the live 403. */
  requireApiKey: boolean;
  /** When set, only these keys are accepted (others: 403 API_KEY_INVALID). */
  validKeys?: string[];
  /** series|frequency|period → the value served instead of the file's (an EIA revision). */
  overrides: ReadonlyMap<string, string | null>;
}

export function rowKey(series: string, frequency: string, period: string): string {
  return `${series}|${frequency}|${period}`;
}

class BadRequest extends Error {}

function parseDataQuery(search: URLSearchParams, route: ReplayRoute): EiaDataQuery {
  const raw = decodeDataQuery(search);
  const available = [...route.frequencies.keys()];
  const frequency = (raw.frequency ?? available[0]) as EiaFrequency;
  if (!route.frequencies.has(frequency)) {
    throw new BadRequest(
      `Invalid frequency '${raw.frequency}' provided. The frequency must be one of the following: ${available.join(', ')}.`,
    );
  }
  for (const value of raw.data) {
    if (value !== 'value')
      throw new BadRequest(`Invalid data '${value}' provided. The only valid data are 'value'.`);
  }
  for (const facet of Object.keys(raw.facets)) {
    if (!(FACETS as readonly string[]).includes(facet)) {
      throw new BadRequest(
        `Invalid facet '${facet}' provided. The only valid facets are '${FACETS.join("', '")}'.`,
      );
    }
  }
  const sort = raw.sort.map((s) => {
    const column = s.column ?? 'period';
    const direction = (s.direction ?? 'asc').toLowerCase();
    if (!['period', 'value', ...FACETS].includes(column)) {
      throw new BadRequest(`Invalid sort column '${column}' provided.`);
    }
    if (direction !== 'asc' && direction !== 'desc') {
      throw new BadRequest(
        `Invalid sort direction '${s.direction}' provided. Valid directions are 'asc' and 'desc'.`,
      );
    }
    return { column, direction: direction as 'asc' | 'desc' };
  });
  const count = (name: string, value: string | null, fallback: number) => {
    if (value === null || value === '') return fallback;
    if (!/^\d+$/.test(value))
      throw new BadRequest(`Invalid ${name} '${value}' provided. ${name} must be a non-negative integer.`);
    return Number(value);
  };
  return {
    frequency,
    data: raw.data,
    facets: raw.facets,
    start: raw.start,
    end: raw.end,
    sort,
    offset: count('offset', raw.offset, 0),
    length: Math.min(count('length', raw.length, EIA_MAX_ROWS), EIA_MAX_ROWS),
  };
}

function compareRows(a: ReplayRow, b: ReplayRow, column: string): number {
  if (column === 'value') {
    const x = a.value === null ? -Infinity : Number(a.value);
    const y = b.value === null ? -Infinity : Number(b.value);
    return x - y;
  }
  const x = String(a[column as keyof ReplayRow] ?? '');
  const y = String(b[column as keyof ReplayRow] ?? '');
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The request handler of the replay: its answer for a request. */
export function createReplayRouter(
  dataset: ReplayDataset,
  settings: RouterSettings,
): (req: http.IncomingMessage) => ReplayAnswer {
  const overrides = settings.overrides;
  const routeRows = (route: ReplayRoute, frequency: EiaFrequency): ReplayRow[] => {
    const rows = route.frequencies.get(frequency) ?? [];
    if (overrides.size === 0) return rows;
    return rows.map((row) => {
      const key = rowKey(row.series, frequency, row.period);
      return overrides.has(key) ? { ...row, value: overrides.get(key)! } : row;
    });
  };

  function answerData(route: ReplayRoute, query: URLSearchParams, command: string) {
    const q = parseDataQuery(query, route);
    let rows = routeRows(route, q.frequency).filter(
      (row) =>
        (q.start === undefined || row.period >= q.start) &&
        (q.end === undefined || row.period <= q.end) &&
        Object.entries(q.facets).every(([facet, values]) =>
          values.includes(String(row[facet as keyof ReplayRow])),
        ),
    );
    if (q.sort.length) {
      rows = [...rows].sort((a, b) => {
        for (const s of q.sort) {
          const c = compareRows(a, b, s.column);
          if (c !== 0) return s.direction === 'asc' ? c : -c;
        }
        return 0;
      });
    }
    const page = rows.slice(q.offset, q.offset + q.length);
    const data = q.data.includes('value') ? page : page.map(({ value: _v, units: _u, ...rest }) => rest);
    const params: Record<string, unknown> = { frequency: q.frequency, data: q.data };
    if (Object.keys(q.facets).length) params.facets = q.facets;
    if (q.start) params.start = q.start;
    if (q.end) params.end = q.end;
    if (q.sort.length) params.sort = q.sort;
    params.offset = String(q.offset);
    params.length = String(q.length);
    return {
      response: {
        total: String(rows.length),
        dateFormat: DATE_FORMATS[q.frequency],
        frequency: q.frequency,
        ...(rows.length > page.length ? { warnings: [INCOMPLETE_RETURN] } : {}),
        data,
        description: route.description,
      },
      request: { command, params },
      apiVersion: API_VERSION,
      ExcelAddInVersion: '2.1.0',
    };
  }

  function answerMetadata(route: ReplayRoute, command: string) {
    const frequencies = [...route.frequencies.keys()];
    const all = frequencies.flatMap((f) => route.frequencies.get(f) ?? []);
    const periods = (route.frequencies.get(frequencies[0]!) ?? []).map((r) => r.period);
    return {
      response: {
        id: route.route.split('/').pop(),
        name: route.name,
        description: route.description,
        frequency: frequencies.map((f) => ({ id: f, ...FREQUENCY_INFO[f], format: DATE_FORMATS[f] })),
        facets: FACETS.map((id) => ({ id, description: FACET_NAMES[id].description })),
        data: { value: { alias: 'Value', units: all[0]?.units } },
        startPeriod: periods[0],
        endPeriod: periods[periods.length - 1],
        defaultDateFormat: DATE_FORMATS[frequencies[0]!],
        defaultFrequency: frequencies[0],
      },
      request: { command, params: {} },
      apiVersion: API_VERSION,
      ExcelAddInVersion: '2.1.0',
    };
  }

  function answerFacet(route: ReplayRoute, facet: string | undefined, command: string) {
    if (facet === undefined) {
      return {
        response: {
          totalFacets: FACETS.length,
          facets: FACETS.map((id) => ({ id, description: FACET_NAMES[id].description })),
        },
        request: { command, params: {} },
        apiVersion: API_VERSION,
      };
    }
    const info = FACET_NAMES[facet as (typeof FACETS)[number]];
    if (!info) return undefined;
    const values = new Map<string, string>();
    for (const rows of route.frequencies.values()) {
      for (const row of rows) values.set(String(row[facet as keyof ReplayRow]), String(row[info.nameField]));
    }
    return {
      response: {
        totalFacets: values.size,
        facets: [...values].map(([id, name]) => ({ id, name })),
      },
      request: { command, params: {} },
      apiVersion: API_VERSION,
    };
  }

  function answerParent(prefix: string, command: string) {
    const children = new Set<string>();
    for (const route of dataset.routes.keys()) {
      if (prefix === '' || route.startsWith(`${prefix}/`)) {
        const rest = prefix === '' ? route : route.slice(prefix.length + 1);
        children.add(rest.split('/')[0]!);
      }
    }
    if (children.size === 0) return undefined;
    return {
      response: {
        id: prefix.split('/').pop() || 'v2',
        name: prefix || 'EIA API v2 (replay)',
        description: `Replay of ${dataset.files.join(', ')}`,
        routes: [...children].sort().map((id) => ({ id, name: id, description: id })),
      },
      request: { command, params: {} },
      apiVersion: API_VERSION,
    };
  }

  return function route(req: http.IncomingMessage): ReplayAnswer {
    const url = new URL(req.url ?? '/', 'http://replay');
    const query = url.searchParams;
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return { status: 405, body: { error: 'Method not allowed.', code: 405 } };
    const match = /^\/v2(?:\/(.*?))?\/*$/.exec(url.pathname);
    if (!match) return { status: 404, body: { error: 'Not found.', code: 404 } };
    const sub = match[1] ?? '';
    const info: ReplayRequestInfo = { path: sub, query, n: 0 };
    const key = query.get('api_key');
    if (!key && settings.requireApiKey) {
      return {
        status: 403,
        info,
        body: {
          error: {
            code: 'API_KEY_MISSING',
            message:
              'No api_key was supplied.  Please register for one at https://www.eia.gov/opendata/register.php',
          },
        },
      };
    }
    if (key && settings.validKeys && !settings.validKeys.includes(key)) {
      return {
        status: 403,
        info,
        body: {
          error: {
            code: 'API_KEY_INVALID',
            message:
              'An invalid api_key has been supplied. Please check the api_key or register for one at https://www.eia.gov/opendata/register.php',
          },
        },
      };
    }
    const command = `/v2/${sub}${sub ? '/' : ''}`;
    const notFound = { status: 404, info, body: { error: 'Not found.', code: 404 } };
    let m: RegExpExecArray | null;
    try {
      if ((m = /^(.*)\/data$/.exec(sub))) {
        const r = dataset.routes.get(m[1]!);
        return r ? { status: 200, info, body: answerData(r, query, command) } : notFound;
      }
      if ((m = /^(.*)\/facet(?:\/([^/]+))?$/.exec(sub))) {
        const r = dataset.routes.get(m[1]!);
        const body = r && answerFacet(r, m[2], command);
        return body ? { status: 200, info, body } : notFound;
      }
      const r = dataset.routes.get(sub);
      if (r) return { status: 200, info, body: answerMetadata(r, command) };
      const parent = answerParent(sub, command);
      return parent ? { status: 200, info, body: parent } : notFound;
    } catch (error) {
      if (error instanceof BadRequest)
        return { status: 400, info, body: { error: error.message, code: 400 } };
      throw error;
    }
  };
}
