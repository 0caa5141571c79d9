/* global process, console, fetch, performance, setTimeout */
// Asks GET <url> every 20 ms until SIGTERM, then prints one JSON line: every round trip (ms) and
// this process's own worst event-loop lag, so a slow probe can be told from a slow service.
// Run by tests/api/export.test.ts in a process (and session) of its own.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const url = process.argv[2];
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
let stopping = false;
process.once('SIGTERM', () => (stopping = true));
// The first fetch of a process loads and compiles its HTTP client (~100 ms): not the service's.
await (await fetch(url)).arrayBuffer();
lag.reset();
const latencies = [];
let failures = 0;
while (!stopping) {
  const started = performance.now();
  try {
    const res = await fetch(url);
    await res.arrayBuffer();
    if (!res.ok) failures++;
  } catch {
    failures++;
  }
  latencies.push(Math.round(performance.now() - started));
  await new Promise((resolve) => setTimeout(resolve, 20));
}
console.log(JSON.stringify({ latencies, failures, ownLagMaxMs: Math.round(lag.max / 1e6) }));
