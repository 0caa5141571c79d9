/**
 * A fault-injecting HTTP proxy: put between a client and a server, it forwards every request
 * unchanged unless a fault is queued (`inject`) or standing (`always`) for the request's path —
 * then it answers with an error status, hangs, cuts the body after N bytes, corrupts or rewrites
 * lines, drops an SSE stream, or throttles. The server behind it has no fault switch of its own.
 * Used by the chaos harness (chaos/run.ts) and the ingestion suites (tests/ingestion/).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

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
  /** Every fault applied: when, to which request, which kind. */
  applied: Array<{ at: number; request: string; fault: Fault['kind'] }>;
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
  const applied: FaultProxy['applied'] = [];
  const sockets = new Set<Socket>();
  const target = new URL(upstream);

  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(`${req.method} ${path}`);
    times.push(Date.now());
    const index = queues.findIndex((q) => path.startsWith(q.prefix));
    let fault: Fault | undefined = index >= 0 ? queues.splice(index, 1)[0]!.fault : undefined;
    if (!fault) for (const [prefix, f] of standing) if (path.startsWith(prefix)) fault = f;
    if (fault) applied.push({ at: Date.now(), request: `${req.method} ${path}`, fault: fault.kind });

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
    applied,
    inject: (prefix, ...faults) => queues.push(...faults.map((fault) => ({ prefix, fault }))),
    always: (prefix, fault) => (fault ? standing.set(prefix, fault) : standing.delete(prefix)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
