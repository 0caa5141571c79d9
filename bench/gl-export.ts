/**
 * GL export throughput: starts the service in a child process on 127.0.0.1 (a free port), streams
 * a full year as NDJSON over HTTP and reports records/s and the server's peak RSS (VmHWM).
 * Usage: npm run bench -- gl-export [--wells N]   (default: GL_WELLS or 300)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const AS_OF = '2024-01-31';
const START = '2023-01-31';
const END = '2024-01-30';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

async function waitForHealth(base: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('service did not become healthy');
}

const wells = arg('wells') ?? process.env.GL_WELLS ?? '300';
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
// node --import tsx runs the server in this very process id, so /proc/<pid> is the server's.
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'api/src/server.ts')], {
  env: {
    ...process.env,
    GL_API_PORT: String(port),
    GL_WELLS: wells,
    GL_AS_OF: AS_OF,
    GL_API_TOKEN: '',
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
try {
  await waitForHealth(base);
  const started = performance.now();
  const response = await fetch(`${base}/v1/gl/entries?start=${START}&end=${END}`, {
    headers: { accept: 'application/x-ndjson' },
  });
  if (!response.ok || !response.body) throw new Error(`export failed: ${response.status}`);
  let records = 0;
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += chunk.byteLength;
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) records++;
  }
  const seconds = (performance.now() - started) / 1000;
  const rss = peakRssMb(child.pid ?? 0);
  console.log(
    `wells ${wells}, ${START}..${END}: ${records} lines, ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s`,
  );
  console.log(
    `gl-export: ${Math.round(records / seconds)} records/s, server peak RSS ${rss} MB (${records} records, GL_WELLS=${wells})`,
  );
} finally {
  child.kill('SIGTERM');
}
