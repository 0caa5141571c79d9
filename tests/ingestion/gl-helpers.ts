/**
 * Test support for the GL ingestion suites: a fault-injecting HTTP proxy in front of the GL
 * service, and table snapshots to compare a run with a clean one.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/src/build.ts';
import type { GlAppOptions } from '../../api/src/options.ts';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import type { Logger } from '../../core/logger.ts';
import { createPool, ROLES } from '../../database/src/connection.ts';
import { ingestGl, type GlIngestOptions, type GlOutcome } from '../../ingestion/src/gl/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

/** One ingestGl call as the tests make it: the database by URL, the rest as options. */
export type GlRun = GlIngestOptions & { databaseUrl: string; log?: Logger; signal?: AbortSignal };

/**
 * Runs ingestGl on a loader pool of its own (named like the CLI's, so tests can find its
 * backends) and returns the Outcome's details with the Outcome itself.
 */
export async function runGl({
  databaseUrl,
  log,
  signal,
  ...options
}: GlRun): Promise<GlOutcome['details'] & { outcome: GlOutcome }> {
  const pool = createPool(databaseUrl, { role: ROLES.loader, max: 4, application: 'gl-ingestion' });
  try {
    const outcome = await ingestGl({ pool, log: log ?? pino({ level: 'silent' }), signal }, options);
    return { ...outcome.details, outcome };
  } finally {
    await pool.end();
  }
}

export interface GlService {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** The real GL service app, listening on a free 127.0.0.1 port. */
export async function startGlService(
  options: Partial<GlAppOptions> = {},
  /** A fixed port, to bring a stopped service back where its clients look for it. */
  port = 0,
): Promise<GlService> {
  const app = await buildServer({
    seed: 42,
    wells: 3,
    asOf: '2024-01-31',
    streamIntervalS: 600,
    rateLimitMax: 100_000,
    ...options,
  });
  await app.listen({ port, host: '127.0.0.1' });
  const bound = (app.server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${bound}`, app, close: () => app.close() };
}

/** Polls `probe` every 20 ms until it returns a value; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface SlowGlSetup {
  /** The GL service itself (for clean runs). */
  service: GlService;
  /** The same service behind a proxy that delays every entries request, so a test can act between chunks. */
  slow: FaultProxy;
  /** A fresh database, dropped after the suite. */
  database(): Promise<TestDatabase>;
}

/**
 * The set-up of the suites that interrupt a loader mid-load: a small GL service, a throttling
 * proxy in front of it, and databases dropped when the suite ends. Call inside `describe`; the
 * fields are filled by `beforeAll`.
 */
export function useSlowGlService(asOf: string, delayMs: number): SlowGlSetup {
  const databases: TestDatabase[] = [];
  const setup = {
    async database() {
      const db = await createTestDatabase();
      databases.push(db);
      return db;
    },
  } as SlowGlSetup;
  beforeAll(async () => {
    setup.service = await startGlService({ wells: 3, asOf });
    setup.slow = await startFaultProxy(setup.service.url);
    setup.slow.always('/v1/gl/entries', { kind: 'throttle', delayMs });
  });
  afterAll(async () => {
    await setup.slow?.close();
    await setup.service?.close();
    for (const db of databases) await db.drop();
  });
  return setup;
}

/** Retries in tests: many, and a few milliseconds apart. */
export const FAST_RETRY = { retries: 8, minDelayMs: 5, maxDelayMs: 20, factor: 2 };

export type Fault =
  /** Answer with this status (and Retry-After seconds, when given) instead of forwarding. */
  | { kind: 'status'; status: number; retryAfter?: number }
  /** Accept the request and never answer (the client's timeout must fire). */
  | { kind: 'hang' }
  /** Forward, but cut the connection after this many body bytes. */
  | { kind: 'truncate'; afterBytes: number }
  /** Forward, inserting a line of garbage after this many NDJSON lines. */
  | { kind: 'garbage'; afterLines: number }
  /** Forward, rewriting every NDJSON line or SSE data line through `map`. */
  | { kind: 'rewrite'; map: (line: string) => string }
  /** Forward an SSE stream, dropping the connection after this many events. */
  | { kind: 'drop-sse'; afterEvents: number }
  /** Forward unchanged, pausing this long after every chunk of the body (a slow link). */
  | { kind: 'throttle'; delayMs: number };

export interface FaultProxy {
  url: string;
  /** Requests seen, as "METHOD path?query". */
  requests: string[];
  /** When each request arrived (ms since the epoch), in the order of `requests`. */
  times: number[];
  /** Queue faults for the next requests whose path starts with `pathPrefix`. */
  inject(pathPrefix: string, ...faults: Fault[]): void;
  /** A fault applied to every matching request until cleared. */
  always(pathPrefix: string, fault: Fault | undefined): void;
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const queues: Array<{ prefix: string; fault: Fault }> = [];
  const standing = new Map<string, Fault>();
  const requests: string[] = [];
  const times: number[] = [];
  const sockets = new Set<Socket>();
  const target = new URL(upstream);

  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(`${req.method} ${path}`);
    times.push(Date.now());
    const index = queues.findIndex((q) => path.startsWith(q.prefix));
    let fault: Fault | undefined = index >= 0 ? queues.splice(index, 1)[0]!.fault : undefined;
    if (!fault) for (const [prefix, f] of standing) if (path.startsWith(prefix)) fault = f;

    if (fault?.kind === 'status') {
      const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      res.writeHead(fault.status, headers).end(JSON.stringify({ title: 'injected', status: fault.status }));
      return;
    }
    if (fault?.kind === 'hang') return; // the client gives up; closing the proxy destroys the socket

    const upstreamReq = http.request(
      {
        host: target.hostname,
        port: target.port,
        path,
        method: req.method,
        headers: { ...req.headers, host: target.host },
      },
      (upRes) => {
        const headers = { ...upRes.headers };
        if (fault && fault.kind !== 'drop-sse' && fault.kind !== 'throttle') delete headers['content-length'];
        res.writeHead(upRes.statusCode ?? 502, headers);
        let bytes = 0;
        let lines = 0;
        let events = 0;
        let rest = '';
        const f = fault;
        upRes.on('data', (chunk: Buffer) => {
          if (!f) return void res.write(chunk);
          if (f.kind === 'throttle') {
            upRes.pause();
            setTimeout(() => upRes.resume(), f.delayMs);
            return void res.write(chunk);
          }
          if (f.kind === 'truncate') {
            const room = f.afterBytes - bytes;
            bytes += chunk.length;
            if (room <= 0) return;
            if (chunk.length >= room) {
              res.write(chunk.subarray(0, room), () => res.socket?.destroy());
              upRes.destroy();
              return;
            }
            return void res.write(chunk);
          }
          if (f.kind === 'drop-sse') {
            const text = rest + chunk.toString('utf8');
            const parts = text.split('\n\n');
            rest = parts.pop()!;
            for (const part of parts) {
              if (events >= f.afterEvents) break;
              res.write(part + '\n\n');
              if (/^(id|data):/m.test(part)) events++;
            }
            if (events >= f.afterEvents) {
              upRes.destroy();
              res.socket?.destroy();
            }
            return;
          }
          // line-oriented rewrites (NDJSON lines, SSE data: lines)
          const text = rest + chunk.toString('utf8');
          const parts = text.split('\n');
          rest = parts.pop()!;
          let out = '';
          for (const line of parts) {
            if (f.kind === 'garbage') {
              out += line + '\n';
              if (line.trim() !== '' && ++lines === f.afterLines) out += '{"line_id": "GL-broken", oops\n';
            } else if (f.kind === 'rewrite') {
              out +=
                (line.startsWith('data:')
                  ? 'data: ' + f.map(line.slice(5).trimStart())
                  : line.startsWith('{')
                    ? f.map(line)
                    : line) + '\n';
            }
          }
          if (out) res.write(out);
        });
        upRes.on('end', () => {
          if (f?.kind === 'truncate' && bytes >= f.afterBytes) return;
          if (rest) res.write(rest);
          res.end();
        });
        upRes.on('error', () => res.socket?.destroy());
      },
    );
    upstreamReq.on('error', () => res.socket?.destroy());
    res.on('close', () => upstreamReq.destroy());
    req.pipe(upstreamReq);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    times,
    inject: (prefix, ...faults) => queues.push(...faults.map((fault) => ({ prefix, fault }))),
    always: (prefix, fault) => (fault ? standing.set(prefix, fault) : standing.delete(prefix)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Everything the GL client writes to raw, in a stable order, for equality with a clean run. */
export async function rawSnapshot(
  db: TestDatabase,
): Promise<{ lines: string[]; reference: Record<string, string[]> }> {
  const { rows } = await db.query<{ r: string }>(
    `SELECT concat_ws('|', line_id, posting_date, journal_id, line_no, debit, credit, account_number, payload_hash) AS r
       FROM raw.gl_lines ORDER BY line_id`,
  );
  const reference: Record<string, string[]> = {};
  for (const [table, key] of [
    ['gl_wells', 'well_id'],
    ['gl_owners', 'owner_id'],
    ['gl_accounts', 'account_number'],
    ['gl_afes', 'afe_number'],
  ] as const) {
    const res = await db.query<{ r: string }>(
      `SELECT ${key} || '|' || payload_hash AS r FROM raw.${table} ORDER BY ${key}`,
    );
    reference[table] = res.rows.map((x) => x.r);
  }
  return { lines: rows.map((x) => x.r), reference };
}
