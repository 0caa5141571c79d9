/**
 * `npm run bench -- load [--clients N] [--seconds S] [--exporters E] [--export-days D] [--wells W]
 * [--interval S]`: the GL service (its own process, api/src/server.ts, on a free 127.0.0.1 port)
 * under N concurrent SSE clients on /get-gl (default 200) while E clients (default 2) export
 * D-day windows of the history year as NDJSON one after the other (default 30), for S seconds
 * (default 60), with stream slots of S seconds (GL_STREAM_INTERVAL_S, default 1).
 *
 * The service runs on the wall clock with GL_AS_OF = today, so today's lines stream live and an
 * event's id is the instant its slot ended: the moment it could first be sent. Event latency is
 * receive time minus that instant, per event, over every client (the first event of a
 * connection is the last completed slot, sent at once on connect, and is not counted). Errors:
 * failed or ended connections, a skipped or repeated slot id, failed exports. Server RSS is
 * sampled from /proc/<pid>/status every second. The exporters run in a child process of their
 * own so their reading does not delay the SSE clients' receive times.
 * Done when: no errors and p99 latency under 1 s.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createParser } from 'eventsource-parser';
import { isoDateOf, parseIsoDateMs, todayUtc } from '../core/dates.ts';
import { historyRange } from '../ingestion/src/gl/dates.ts';
import { arg, percentile, startGlService, stop } from './support.ts';

const P99_TARGET_MS = 1000;
const DAY_MS = 86_400_000;

/** VmRSS (current) and VmHWM (peak) of a process, MB. */
function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(status)?.[1] ?? NaN);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

/**
 * The exporter role: exports `days`-day windows of the history year as NDJSON, one after the
 * other (wrapping around), until the deadline; prints one JSON summary. A year (~490 MB at 300
 * wells) does not fit the default day cache, so most windows are generated cold.
 */
async function exportUntil(
  baseUrl: string,
  from: string,
  days: number,
  offset: number,
  untilMs: number,
): Promise<void> {
  const signal = AbortSignal.timeout(Math.max(0, untilMs - Date.now()));
  let exports = 0;
  let lines = 0;
  let errors = 0;
  const messages: string[] = [];
  const firstDay = parseIsoDateMs(from) as number;
  for (let window = offset; Date.now() < untilMs; window++) {
    const startMs = firstDay + ((window * days) % 365) * DAY_MS;
    const start = isoDateOf(startMs);
    const end = isoDateOf(Math.min(startMs + (days - 1) * DAY_MS, firstDay + 364 * DAY_MS));
    let count = 0;
    try {
      const response = await fetch(`${baseUrl}/v1/gl/entries?start=${start}&end=${end}`, {
        headers: { accept: 'application/x-ndjson' },
        signal,
      });
      if (!response.ok || !response.body) throw new Error(`export answered ${response.status}`);
      for await (const chunk of response.body) {
        const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) count++;
      }
      if (count === 0) throw new Error(`export ${start}..${end} returned no lines`);
      exports++;
    } catch (error) {
      if (signal.aborted) break; // the time is up: the export in flight is cut, not failed
      errors++;
      messages.push((error as Error).message);
    } finally {
      lines += count; // a cut export's lines were still served
    }
  }
  console.log(JSON.stringify({ exports, lines, errors, messages: messages.slice(0, 5) }));
}

interface ClientStats {
  events: number;
  errors: string[];
  connected: boolean;
}

/** One SSE client: records each event's latency; anything but a clean stream is an error. */
async function sseClient(
  url: string,
  intervalS: number,
  signal: AbortSignal,
  latencies: number[],
  stats: ClientStats,
): Promise<void> {
  try {
    const response = await fetch(url, { headers: { accept: 'text/event-stream' }, signal });
    if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
    stats.connected = true;
    let previous: number | undefined;
    const parser = createParser({
      onEvent: (event) => {
        const received = Date.now();
        if (event.id === undefined) return;
        const slotEnd = Date.parse(event.id);
        if (previous !== undefined) {
          latencies.push(received - slotEnd);
          if (slotEnd - previous !== intervalS * 1000)
            stats.errors.push(`slot ${event.id} after ${new Date(previous).toISOString()}`);
        }
        previous = slotEnd;
        stats.events++;
      },
    });
    const decoder = new TextDecoder();
    for await (const chunk of response.body) parser.feed(decoder.decode(chunk, { stream: true }));
    throw new Error('the stream ended');
  } catch (error) {
    if (!signal.aborted) stats.errors.push((error as Error).message);
  }
}

async function main(): Promise<void> {
  const clients = Number(arg('clients') ?? '200');
  const seconds = Number(arg('seconds') ?? '60');
  const exporters = Number(arg('exporters') ?? '2');
  const wells = arg('wells') ?? '300';
  const intervalS = Number(arg('interval') ?? '1');
  const exportDays = Number(arg('export-days') ?? '30');
  const asOf = todayUtc();
  const { from } = historyRange(asOf);

  const { child: service, baseUrl } = await startGlService({
    wells,
    asOf,
    env: { GL_STREAM_INTERVAL_S: String(intervalS) },
  });
  const pid = service.pid ?? 0;
  try {
    // Warm up: today's day generated once, so the first second of the run is not a cold start.
    await (await fetch(`${baseUrl}/v1/gl/entries?start=${asOf}&end=${asOf}&limit=1`)).arrayBuffer();
    const startRss = rssMb(pid).rss;
    const started = Date.now();
    const untilMs = started + seconds * 1000;

    const exporterProcs = Array.from({ length: exporters }, (_, i) => {
      // exporters start at different windows, so they do not share each other's days
      const offset = String(Math.floor((i * 365) / exportDays / Math.max(1, exporters)));
      const proc = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          fileURLToPath(import.meta.url),
          '--export',
          baseUrl,
          from,
          String(exportDays),
          offset,
          String(untilMs),
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      return new Promise<{ exports: number; lines: number; errors: number; messages: string[] }>(
        (resolve, reject) =>
          proc.once('close', (code) => {
            try {
              resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as never);
            } catch {
              reject(new Error(`exporter exited with ${code}: ${out}`));
            }
          }),
      );
    });

    const controller = new AbortController();
    const latencies: number[] = [];
    const stats: ClientStats[] = Array.from({ length: clients }, () => ({
      events: 0,
      errors: [],
      connected: false,
    }));
    const streams = stats.map((s) =>
      sseClient(`${baseUrl}/get-gl`, intervalS, controller.signal, latencies, s),
    );

    const rssSamples: Array<{ at: number; rss: number }> = [];
    const sampler = setInterval(() => {
      rssSamples.push({ at: Math.round((Date.now() - started) / 1000), rss: rssMb(pid).rss });
    }, 1000);
    await new Promise((resolve) => setTimeout(resolve, untilMs - Date.now()));
    clearInterval(sampler);
    controller.abort();
    await Promise.all(streams);
    const exportResults = await Promise.all(exporterProcs);
    const elapsed = (Date.now() - started) / 1000;

    const sorted = latencies.sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    const max = sorted[sorted.length - 1] ?? NaN;
    const streamErrors = stats.flatMap((s) => s.errors);
    const exportErrors = exportResults.flatMap((r) => r.messages);
    const errors = streamErrors.length + exportResults.reduce((n, r) => n + r.errors, 0);
    const exportLines = exportResults.reduce((n, r) => n + r.lines, 0);
    const exportsDone = exportResults.reduce((n, r) => n + r.exports, 0);
    const { peak } = rssMb(pid);
    const rssMax = Math.max(startRss, ...rssSamples.map((s) => s.rss));
    const rssEnd = rssSamples[rssSamples.length - 1]?.rss ?? startRss;
    const every = Math.max(1, Math.round(rssSamples.length / 12));
    console.log(
      `server RSS (MB) by second: ${rssSamples
        .filter((_, i) => i % every === 0)
        .map((s) => `${s.at}s ${s.rss}`)
        .join(', ')}`,
    );
    for (const message of [...new Set([...streamErrors, ...exportErrors])].slice(0, 10))
      console.log(`error: ${message}`);
    console.log(
      JSON.stringify({
        clients,
        connected: stats.filter((s) => s.connected).length,
        seconds: elapsed,
        intervalS,
        wells,
        events: latencies.length,
        latencyMs: { p50, p90: percentile(sorted, 90), p99, max },
        exports: exportsDone,
        exportLines,
        exportLinesPerS: Math.round(exportLines / elapsed),
        rssMb: { start: startRss, max: rssMax, end: rssEnd, peak },
        errors,
      }),
    );
    const ok = errors === 0 && p99 < P99_TARGET_MS;
    console.log(
      `load: ${clients} SSE clients + ${exporters} NDJSON exporters for ${seconds} s: ${errors} errors, ` +
        `event latency p50 ${p50} ms, p99 ${p99} ms (${latencies.length} events), ` +
        `${exportsDone} exports of ${exportDays} days at ${Math.round(exportLines / elapsed).toLocaleString('en-US')} lines/s, ` +
        `server RSS ${startRss} → max ${rssMax} MB (target 0 errors, p99 < ${P99_TARGET_MS} ms: ${ok ? 'ok' : 'NOT MET'})`,
    );
  } finally {
    await stop(service);
  }
}

if (process.argv[2] === '--export') {
  const [baseUrl, from, days, offset, untilMs] = process.argv.slice(3) as [
    string,
    string,
    string,
    string,
    string,
  ];
  await exportUntil(baseUrl, from, Number(days), Number(offset), Number(untilMs));
} else {
  await main();
}
process.exit(0);
