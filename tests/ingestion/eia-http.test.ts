/**
 * The shared fetch-with-retry module against a real HTTP server on 127.0.0.1: what is retried,
 * what is not, Retry-After, timeouts, truncated bodies, secrets kept out of errors, throttle.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrub } from '../../core/redact.ts';
import { createThrottle, fetchWithRetry, parseRetryAfter } from '../../ingestion/src/http/index.ts';
import { HttpError } from '../../ingestion/src/load/errors.ts';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

let server: http.Server;
let base: string;
let handler: Handler = (_req, res) => res.end('ok');
let hits = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits += 1;
    handler(req, res, hits);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function serve(h: Handler) {
  hits = 0;
  handler = h;
}

const fast = { retries: 4, minDelayMs: 5, maxDelayMs: 20 };

describe('fetchWithRetry', () => {
  it('retries 5xx and network resets, then returns the body', async () => {
    serve((req, res, n) => {
      if (n === 1) return void res.writeHead(503).end('busy');
      if (n === 2) return void req.socket.destroy();
      res.end('fine');
    });
    const result = await fetchWithRetry(`${base}/x`, { retry: fast });
    expect(result.body).toBe('fine');
    expect(result.attempts).toBe(3);
  });

  it('honours Retry-After on 429', async () => {
    serve((_req, res, n) => {
      if (n === 1) return void res.writeHead(429, { 'retry-after': '1' }).end();
      res.end('after');
    });
    const t0 = performance.now();
    const result = await fetchWithRetry(`${base}/x`, { retry: fast });
    expect(result.body).toBe('after');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it('does not retry other 4xx and keeps the key out of the error', async () => {
    serve((_req, res) => res.writeHead(404).end('no such thing for api_key=sekrit-key-42'));
    const error = await fetchWithRetry(`${base}/x?api_key=sekrit-key-42`, {
      retry: fast,
      secrets: ['sekrit-key-42'],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(404);
    expect((error as HttpError).retryable).toBe(false);
    expect(hits).toBe(1);
    expect(String((error as Error).message)).not.toContain('sekrit-key-42');
    expect((error as HttpError).url).toContain('api_key=redacted');
  });

  it('times out a stalled response and a stalled body, and retries both', async () => {
    serve((_req, res, n) => {
      if (n === 1) return; // never answers
      if (n === 2) return void res.writeHead(200, { 'content-length': '100' }).write('partial'); // stalls mid-body
      res.end('late but whole');
    });
    const result = await fetchWithRetry(`${base}/x`, { retry: fast, timeoutMs: 200 });
    expect(result.body).toBe('late but whole');
    expect(result.attempts).toBe(3);
  });

  it('retries what `read` rejects (truncated or malformed JSON) and gives up with a clear error', async () => {
    serve((_req, res, n) => res.end(n < 3 ? '{"broken":' : '{"ok":true}'));
    const ok = await fetchWithRetry(`${base}/x`, { retry: fast, read: (r) => r.json() as Promise<unknown> });
    expect(ok.body).toEqual({ ok: true });

    serve((_req, res) => res.writeHead(500).end('always'));
    const error = await fetchWithRetry(`${base}/x`, {
      retry: { ...fast, retries: 2 },
      label: 'GET thing',
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/GET thing: HTTP 500 always \(gave up after 3 attempts\)/);
    expect(hits).toBe(3);
  });

  it('parses Retry-After and scrubs secrets', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(scrub('x?api_key=abc&y=1 key abcdef', ['abcdef'])).toBe('x?api_key=redacted&y=1 key [redacted]');
  });

  it('throttle spaces request starts', async () => {
    const throttle = createThrottle(20); // 50 ms apart
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) await throttle.wait();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
  });
});
