import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createParser } from 'eventsource-parser';
import { buildServer } from '../../api/src/build.ts';
import type { GlAppOptions } from '../../api/src/options.ts';

export const AS_OF = '2024-01-31';
/** Six hours into the as-of day: history is complete and six hourly slots have streamed. */
export const NOW = Date.parse('2024-01-31T06:00:00Z');

/** Small and fast: a dozen wells, hourly stream slots, a frozen clock unless a test moves it. */
export function testOptions(overrides: Partial<GlAppOptions> = {}): GlAppOptions {
  return {
    seed: 42,
    wells: 12,
    asOf: AS_OF,
    streamIntervalS: 3600,
    now: () => NOW,
    streamPollMs: 10,
    heartbeatMs: 100,
    ...overrides,
  };
}

export function build(overrides: Partial<GlAppOptions> = {}): Promise<FastifyInstance> {
  return buildServer(testOptions(overrides));
}

export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

export interface SseEvent {
  id: string | undefined;
  data: string;
}

/** Reads `count` events of an SSE endpoint with a real HTTP client, then disconnects. */
export async function readEvents(
  url: string,
  count: number,
  headers: Record<string, string> = {},
): Promise<SseEvent[]> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  if (!response.ok || !response.body)
    throw new Error(`stream answered ${response.status}: ${await response.text()}`);
  const events: SseEvent[] = [];
  const parser = createParser({ onEvent: (event) => events.push({ id: event.id, data: event.data }) });
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    controller.abort();
    await reader.cancel().catch(() => undefined);
  }
  return events.slice(0, count);
}

/** The NDJSON export of a range, as its lines. */
export async function ndjsonLines(app: FastifyInstance, start: string, end: string): Promise<string[]> {
  const res = await app.inject({
    url: `/v1/gl/entries?start=${start}&end=${end}`,
    headers: { accept: 'application/x-ndjson' },
  });
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.body.split('\n').filter((l) => l.length > 0);
}

/** Every page of a range at a page size, as raw line JSON (re-serialized: key order is kept). */
export async function pagedLines(
  app: FastifyInstance,
  start: string,
  end: string,
  limit: number,
): Promise<{ lines: string[]; pages: unknown[][] }> {
  const lines: string[] = [];
  const pages: unknown[][] = [];
  let cursor: string | null = null;
  do {
    const query: string = `start=${start}&end=${end}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await app.inject({ url: `/v1/gl/entries?${query}` });
    if (res.statusCode !== 200) throw new Error(res.body);
    const body = res.json() as { data: unknown[]; next_cursor: string | null };
    pages.push(body.data);
    for (const line of body.data) lines.push(JSON.stringify(line));
    cursor = body.next_cursor;
  } while (cursor);
  return { lines, pages };
}

/**
 * Runs a script of tests/api/load/ in a process and session of its own; `result` is the JSON line
 * it prints when it ends (after `stop()` for a script that runs until SIGTERM).
 */
export function startLoadScript(
  script: string,
  args: string[],
): { result: Promise<unknown>; stop: () => void } {
  const child = spawn(process.execPath, [new URL(`./load/${script}`, import.meta.url).pathname, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<unknown>((resolve, reject) =>
    child.once('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout));
      else reject(new Error(`${script} exited with ${code}: ${stderr}`));
    }),
  );
  return { result, stop: () => child.kill('SIGTERM') };
}

/**
 * The GL service as its own process (tests/api/serve.ts, configured by the environment like
 * `npm run api`), for tests where the client must not share the server's event loop. It runs in
 * a session of its own, as a deployed service does: on Linux the scheduler then shares the CPU
 * between sessions first, so the test runner's own threads do not eat into the service's share.
 */
export async function startServiceProcess(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const port = await new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as net.AddressInfo;
      server.close(() => resolve(free));
    });
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/api/serve.ts'], {
    env: { ...process.env, GL_API_TOKEN: '', LOG_LEVEL: 'warn', ...env, GL_API_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  for (const deadline = Date.now() + 60_000; ;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}: ${stderr}`);
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, child, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the service did not become healthy: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
