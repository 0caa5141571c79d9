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
 * revision) and inject failures with `fault`. Standalone: `npm run eia-replay` (./main.ts)
 * serves EIA_REPLAY_DIR on EIA_REPLAY_PORT (default 8001). Routes: ./router.ts; data: ./dataset.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../../../core/logger.ts';
import { redactUrl } from '../../../../core/redact.ts';
import type { EiaFrequency } from '../catalog.ts';
import { loadReplayDataset, type ReplayDataset } from './dataset.ts';
import { createReplayRouter, rowKey, type ReplayAnswer, type ReplayRequestInfo } from './router.ts';

export type { ReplayRequestInfo };

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

/** JSON with slashes escaped the way EIA's PHP encoder does (`$\/BBL`). */
function eiaJson(value: unknown): string {
  return JSON.stringify(value).replace(/\//g, '\\/');
}

/** Starts the replay server; resolves once it listens. */
export async function startEiaReplayServer(options: EiaReplayOptions): Promise<EiaReplayServer> {
  const dataset = await loadReplayDataset(options.dir);
  const log = options.log;
  const overrides = new Map<string, string | null>();
  let requests = 0;
  const route = createReplayRouter(dataset, {
    requireApiKey: options.requireApiKey ?? true,
    validKeys: options.validKeys,
    overrides,
  });

  const server = http.createServer((req, res) => {
    requests += 1;
    const n = requests;
    let answer: ReplayAnswer;
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
        url: redactUrl(`http://replay${req.url ?? '/'}`).slice('http://replay'.length),
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
