/**
 * An EIA API v2 compatible HTTP server over a folder of real EIA data, for tests and keyless
 * local runs. It answers the way api.eia.gov does (see ../shared/data/eia/README.md):
 *
 * - `GET /v2/<route>/data/`: frequency, data[]=value, facets[<facet>][] filters, start/end
 *   compared as text, sort[i][column|direction], offset/length with at most 5,000 rows per
 *   response and the "incomplete return" warning, `total` as a string, values as strings or null,
 *   slashes escaped (`$\/BBL`).
 * - `GET /v2/<route>` route metadata, `GET /v2/<route>/facet` and `/facet/<id>` facet values,
 *   `GET /v2/<parent>` the child routes.
 * - Errors: 403 API_KEY_MISSING / API_KEY_INVALID, 400 flat `{"error": ..., "code": 400}` on a
 *   bad parameter, 404 `{"error":"Not found.","code":404}` on an unknown route.
 *
 * Keys: by default any non-empty `api_key` is accepted and a missing one is a 403, as live;
 * `requireApiKey: false` (`--keyless`, EIA_REPLAY_KEYLESS=1) accepts requests without one;
 * `validKeys` makes every other key a 403 API_KEY_INVALID.
 *
 * Tests use `startEiaReplayServer({ dir, port: 0 })`, change values with `setValue` (an EIA
 * revision) and inject failures with `fault`. Standalone: `npm run eia-replay` serves
 * EIA_REPLAY_DIR on EIA_REPLAY_PORT (default 8001).
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, PROJECT_ROOT } from '../../../../core/config.ts';
import { createLogger, type Logger } from '../../../../core/logger.ts';
import type { EiaFrequency } from '../catalog.ts';
import { DATE_FORMATS } from '../periods.ts';
import { loadReplayDataset, type ReplayDataset, type ReplayRoute, type ReplayRow } from './dataset.ts';

export const API_VERSION = '2.1.13';
export const MAX_ROWS = 5000;
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
export type ReplayFault =
  /** answer with this status (e.g. 500, or 429 with a Retry-After header) */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** accept the request and never answer: the client must time out */
  | { kind: 'hang' }
  /** send the real headers and half of the real body, then drop the connection */
  | { kind: 'truncate' }
  /** 200 with half of the real body and a matching Content-Length: syntactically broken JSON */
  | { kind: 'malformed' }
  /** drop the connection before answering */
  | { kind: 'reset' };

export interface ReplayRequestInfo {
  /** path after /v2, e.g. 'petroleum/pri/spt/data' */
  path: string;
  query: URLSearchParams;
  /** 1 for the server's first request */
  n: number;
}

export interface EiaReplayOptions {
  dir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Default true: a request without api_key gets the live 403. */
  requireApiKey?: boolean;
  /** When set, only these keys are accepted (others: 403 API_KEY_INVALID). */
  validKeys?: string[];
  fault?: (request: ReplayRequestInfo) => ReplayFault | undefined;
  log?: Logger;
}

export interface EiaReplayServer {
  /** http://host:port */
  url: string;
  /** http://host:port/v2, what EIA_BASE_URL should be */
  baseUrl: string;
  dataset: ReplayDataset;
  /** Requests served so far. */
  readonly requests: number;
  /** Serves `value` for a series' period from now on (an EIA revision); undefined restores the file's. */
  setValue(series: string, frequency: EiaFrequency, period: string, value: string | null | undefined): void;
  close(): Promise<void>;
}

class BadRequest extends Error {}

function rowKey(series: string, frequency: string, period: string): string {
  return `${series}|${frequency}|${period}`;
}

interface DataQuery {
  frequency: EiaFrequency;
  data: string[];
  facets: Map<string, string[]>;
  start?: string;
  end?: string;
  sort: Array<{ column: string; direction: 'asc' | 'desc' }>;
  offset: number;
  length: number;
}

function parseDataQuery(query: URLSearchParams, route: ReplayRoute): DataQuery {
  const available = [...route.frequencies.keys()];
  const frequencyParam = query.get('frequency');
  const frequency = (frequencyParam ?? available[0]) as EiaFrequency;
  if (!route.frequencies.has(frequency)) {
    throw new BadRequest(
      `Invalid frequency '${frequencyParam}' provided. The frequency must be one of the following: ${available.join(', ')}.`,
    );
  }
  const data: string[] = [];
  const facets = new Map<string, string[]>();
  const sort: Array<{ column?: string; direction?: string }> = [];
  for (const [key, value] of query) {
    let m: RegExpExecArray | null;
    if ((m = /^data\[(\d*)\]$/.exec(key))) {
      if (value !== 'value')
        throw new BadRequest(`Invalid data '${value}' provided. The only valid data are 'value'.`);
      data.push(value);
    } else if ((m = /^facets\[([^\]]+)\]\[\d*\]$/.exec(key))) {
      const facet = m[1]!;
      if (!(FACETS as readonly string[]).includes(facet)) {
        throw new BadRequest(
          `Invalid facet '${facet}' provided. The only valid facets are '${FACETS.join("', '")}'.`,
        );
      }
      facets.set(facet, [...(facets.get(facet) ?? []), value]);
    } else if ((m = /^sort\[(\d+)\]\[(column|direction)\]$/.exec(key))) {
      const i = Number(m[1]);
      sort[i] = { ...sort[i], [m[2]!]: value };
    }
  }
  const sorts = sort
    .filter((s) => s !== undefined)
    .map((s) => {
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
  const count = (name: string, fallback: number) => {
    const raw = query.get(name);
    if (raw === null || raw === '') return fallback;
    if (!/^\d+$/.test(raw))
      throw new BadRequest(`Invalid ${name} '${raw}' provided. ${name} must be a non-negative integer.`);
    return Number(raw);
  };
  return {
    frequency,
    data,
    facets,
    start: query.get('start') || undefined,
    end: query.get('end') || undefined,
    sort: sorts,
    offset: count('offset', 0),
    length: Math.min(count('length', MAX_ROWS), MAX_ROWS),
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

/** JSON with slashes escaped the way EIA's PHP encoder does (`$\/BBL`). */
function eiaJson(value: unknown): string {
  return JSON.stringify(value).replace(/\//g, '\\/');
}

/** Starts the replay server; resolves once it listens. */
export async function startEiaReplayServer(options: EiaReplayOptions): Promise<EiaReplayServer> {
  const dataset = await loadReplayDataset(options.dir);
  const log = options.log;
  const requireApiKey = options.requireApiKey ?? true;
  const overrides = new Map<string, string | null>();
  let requests = 0;

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
        [...q.facets].every(([facet, values]) => values.includes(String(row[facet as keyof ReplayRow]))),
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
    if (q.facets.size) params.facets = Object.fromEntries(q.facets);
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

  function route(req: http.IncomingMessage): { status: number; body: unknown; info?: ReplayRequestInfo } {
    const url = new URL(req.url ?? '/', 'http://replay');
    const query = url.searchParams;
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return { status: 405, body: { error: 'Method not allowed.', code: 405 } };
    const match = /^\/v2(?:\/(.*?))?\/*$/.exec(url.pathname);
    if (!match) return { status: 404, body: { error: 'Not found.', code: 404 } };
    const sub = match[1] ?? '';
    const info: ReplayRequestInfo = { path: sub, query, n: requests };
    const key = query.get('api_key');
    if (!key && requireApiKey) {
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
    if (key && options.validKeys && !options.validKeys.includes(key)) {
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
  }

  const server = http.createServer((req, res) => {
    requests += 1;
    const n = requests;
    let answer: ReturnType<typeof route>;
    try {
      answer = route(req);
    } catch (error) {
      log?.error({ err: error }, 'replay: internal error');
      answer = { status: 500, body: { error: 'Internal error.', code: 500 } };
    }
    const text = eiaJson(answer.body);
    const fault = answer.info && options.fault ? options.fault({ ...answer.info, n }) : undefined;
    log?.debug(
      {
        n,
        url: req.url?.replace(/api_key=[^&]*/, 'api_key=redacted'),
        status: answer.status,
        fault: fault?.kind,
      },
      'replay request',
    );
    if (!fault) {
      res.writeHead(answer.status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
      });
      res.end(req.method === 'HEAD' ? undefined : text);
      return;
    }
    const half = Buffer.from(text).subarray(0, Math.floor(Buffer.byteLength(text) / 2));
    switch (fault.kind) {
      case 'status':
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
        res.end(fault.body ?? JSON.stringify({ error: `injected ${fault.status}`, code: fault.status }));
        return;
      case 'hang':
        return; // the client's timeout ends it; close() destroys the socket
      case 'reset':
        req.socket.destroy();
        return;
      case 'truncate':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.write(half, () => req.socket.destroy());
        return;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': half.length });
        res.end(half);
        return;
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
  return {
    url,
    baseUrl: `${url}/v2`,
    dataset,
    get requests() {
      return requests;
    },
    setValue(series, frequency, period, value) {
      if (value === undefined) overrides.delete(rowKey(series, frequency, period));
      else overrides.set(rowKey(series, frequency, period), value);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The replay folder: EIA_REPLAY_DIR, else ../shared/data/eia beside the project when present. */
export function defaultReplayDir(): string | undefined {
  const configured = loadConfig().eia.replayDir;
  if (configured) return path.resolve(PROJECT_ROOT, configured);
  const shared = path.resolve(PROJECT_ROOT, '../shared/data/eia');
  return existsSync(shared) ? shared : undefined;
}

async function main(): Promise<void> {
  const log = createLogger('eia-replay');
  const dir = defaultReplayDir();
  if (!dir) throw new Error('set EIA_REPLAY_DIR to a folder of EIA CSV files (e.g. ../shared/data/eia)');
  // Read here rather than in core/config.ts: only this standalone entry point uses them.
  const port = Number(process.env.EIA_REPLAY_PORT ?? 8001);
  const host = process.env.EIA_REPLAY_HOST ?? '127.0.0.1';
  const keyless =
    process.argv.includes('--keyless') || ['1', 'true'].includes(process.env.EIA_REPLAY_KEYLESS ?? '');
  const server = await startEiaReplayServer({ dir, port, host, requireApiKey: !keyless, log });
  log.info(
    { url: server.baseUrl, dir, files: server.dataset.files, requireApiKey: !keyless },
    `EIA replay listening on ${server.baseUrl} (set EIA_BASE_URL=${server.baseUrl}${keyless ? '' : ' and any non-empty EIA_API_KEY'})`,
  );
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
