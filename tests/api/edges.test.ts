import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../core/config.ts';
import { build, listen, testOptions } from './helpers.ts';
import { buildServer } from '../../api/src/build.ts';

/** Where api/start.mjs writes its bundle for the moment of loading it. */
const CACHE = path.join(PROJECT_ROOT, 'node_modules/.cache');

/** Sends raw bytes and returns the raw HTTP answer (for what Node rejects before Fastify). */
function rawRequest(url: string, request: string | Buffer): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', (err) => (answer ? resolve(answer) : reject(err)));
    socket.write(request);
  });
}

function parseRaw(answer: string) {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  const type = /^content-type:\s*(.+)$/im.exec(head)?.[1]?.trim();
  return { status, type, body: JSON.parse(body) as { status: number; type: string; request_id: string } };
}

describe('service edges: errors Node and Fastify produce are problem+json', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = await build();
    url = await listen(app);
  });
  afterAll(() => app.close());

  it('answers oversized headers with a 431 problem', async () => {
    const answer = parseRaw(
      await rawRequest(url, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
    );
    expect(answer.status).toBe(431);
    expect(answer.type).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ status: 431, type: 'about:blank' });
    expect(answer.body.request_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a malformed request line with a 400 problem', async () => {
    const answer = parseRaw(await rawRequest(url, 'THIS IS NOT HTTP\r\n\r\n'));
    expect(answer.status).toBe(400);
    expect(answer.type).toBe('application/problem+json');
    expect(answer.body.status).toBe(400);
  });

  it('answers a body over the limit with a 413 problem', async () => {
    const res = await fetch(`${url}/nothing-here`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `"${'x'.repeat(2 * 1024 * 1024)}"`,
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { status: number }).status).toBe(413);
  });

  it('refuses a Last-Event-ID after the current slot with a 422 problem', async () => {
    // the frozen clock is 2024-01-31T06:00:00Z: the last completed slot ends then
    for (const id of ['2024-01-31T07:00:00Z', '2030-01-01T00:00:00Z']) {
      const res = await app.inject({ url: '/get-gl', headers: { 'last-event-id': id } });
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({
        type: 'urn:problem:gl:event-id-in-future',
        last_event_id: '2024-01-31T06:00:00Z',
      });
    }
  });

  it('echoes a short, plain X-Request-Id and replaces anything else with a fresh id', async () => {
    const kept = await app.inject({ url: '/health', headers: { 'x-request-id': 'batch-42.retry:1' } });
    expect(kept.headers['x-request-id']).toBe('batch-42.retry:1');
    for (const bad of ['x'.repeat(5000), '<script>alert(1)</script>', 'two words', 'a'.repeat(65)]) {
      const res = await app.inject({ url: '/nothing-here', headers: { 'x-request-id': bad } });
      const id = res.headers['x-request-id'] as string;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.json()).toMatchObject({ request_id: id });
    }
  });
});

describe('service settings are bounded at start-up', () => {
  const withEnv = (env: Record<string, string>, run: () => void) => {
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      run();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };

  it.each([
    ['GL_WELLS', '100000000', /GL_WELLS must be an integer from 1 to 10000/],
    ['GL_WELLS', '0', /GL_WELLS/],
    ['GL_WELLS', '3.5', /GL_WELLS/],
    ['GL_SEED', '-1', /GL_SEED/],
    ['GL_SEED', '99999999999', /GL_SEED/],
    ['GL_STREAM_INTERVAL_S', '0', /GL_STREAM_INTERVAL_S/],
    ['GL_STREAM_INTERVAL_S', '86401', /GL_STREAM_INTERVAL_S/],
    ['GL_API_PORT', '70000', /GL_API_PORT/],
    ['GL_API_THREADS', '1000', /GL_API_THREADS/],
    ['GL_API_CACHE_MB', '-5', /GL_API_CACHE_MB/],
    ['GL_AS_OF', '0001-01-01', /GL_AS_OF must be 2015-01-01 or later/],
    ['GL_AS_OF', '2014-12-31', /GL_AS_OF must be 2015-01-01 or later/],
    ['GL_AS_OF', '2024-02-30', /GL_AS_OF must be a real calendar date/],
  ])('rejects %s=%s', (name, value, message) => {
    withEnv({ [name]: value }, () => expect(() => loadConfig()).toThrow(message));
  });

  it('accepts the bounds themselves', () => {
    withEnv({ GL_WELLS: '10000', GL_AS_OF: '2015-01-01', GL_STREAM_INTERVAL_S: '86400' }, () => {
      expect(loadConfig().gl).toMatchObject({ wells: 10_000, asOf: '2015-01-01', streamIntervalS: 86_400 });
    });
  });

  it('refuses the same bounds when the service is built in code', async () => {
    await expect(buildServer(testOptions({ wells: 100_000_000 }))).rejects.toThrow(/wells must be/);
    await expect(buildServer(testOptions({ asOf: '0001-01-01' }))).rejects.toThrow(/asOf must be 2015-01-01/);
  });

  it('exits at start-up with the reason, not serving 1901 for year 1, and leaves no bundle behind', () => {
    // the service's own entry (run.sh, the image, npm run api): a bundle of the sources on plain node
    const result = spawnSync(path.join(PROJECT_ROOT, 'api/start.mjs'), [], {
      env: { ...process.env, GL_AS_OF: '0001-01-01', GL_API_PORT: '0' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/GL_AS_OF must be 2015-01-01 or later, got "0001-01-01"/);
    expect(readdirSync(CACHE).filter((name) => name.startsWith(`gl-api-${result.pid}-`))).toEqual([]);
  });
});
