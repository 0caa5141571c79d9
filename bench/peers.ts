/**
 * `npm run bench -- peers [--wells N] [--rounds N] [--cache-mb N]`: this project against what a
 * data engineer would pick instead, in one run on one machine, the same year of GL lines:
 *
 * - export: the GL service (a fresh process per round: the first read is cold, the second warm
 *   from its day cache) against FastAPI + uvicorn + orjson serving the same lines from memory
 *   (bench/peers/peer_server.py); lines/s read by the same client, and each server's peak RSS
 *   with the processes it started (ours: its generator processes);
 * - ingestion: `ingest gl` (HTTP NDJSON → validate → COPY → raw.gl_lines) against dlt loading the
 *   same NDJSON into PostgreSQL with its fastest loader (CSV through COPY, bench/peers/dlt_load.py)
 *   and `psql \copy` of the same rows into an identical partitioned table.
 *
 * Contenders alternate within each round (the order rotates), at least 3 rounds; the last line
 * prints each ratio's min and median. The Python side is pinned in bench/peers/uv.lock and
 * installed here with `uv sync --frozen` (only when this benchmark runs).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { loadConfig, PROJECT_ROOT } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { createPool, resolveDatabaseUrl, ROLES, withDatabase } from '../database/src/connection.ts';
import { migrate } from '../database/src/migrate.ts';
import { ingestGl } from '../ingestion/src/gl/index.ts';
import { historyRange } from '../ingestion/src/gl/dates.ts';
import { samplePeak, treeHwmMb, treeRssMb } from './memory.ts';
import { arg, freePort, peakRssMb, psql, psqlCopyBaseline, run, startGlService, stop } from './support.ts';

const AS_OF = '2024-01-31';
const { from: START, to: END } = historyRange(AS_OF);
const DATABASE = 'energy_bench_peers';
const PEERS = path.join(PROJECT_ROOT, 'bench/peers');
const PYTHON = path.join(PEERS, '.venv/bin/python');

const wells = Number(arg('wells') ?? '300');
const rounds = Math.max(3, Number(arg('rounds') ?? '3'));
// Large enough to hold the year at 300 wells (~490 MB of NDJSON): the warm figure is a cache hit.
const cacheMb = Number(arg('cache-mb') ?? '1024');
const log = createLogger('bench', { level: 'warn' });

/** Reads an NDJSON export as fast as the socket gives it: the same client for every server. */
async function readExport(baseUrl: string): Promise<{ lines: number; seconds: number }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/v1/gl/entries?start=${START}&end=${END}`, {
    headers: { accept: 'application/x-ndjson' },
  });
  if (!response.ok || !response.body) throw new Error(`export answered ${response.status}`);
  let lines = 0;
  for await (const chunk of response.body) {
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) lines++;
  }
  return { lines, seconds: (performance.now() - started) / 1000 };
}

async function startPeer(ndjson: string) {
  const port = await freePort();
  const child = spawn(
    PYTHON,
    [
      '-m',
      'uvicorn',
      'peer_server:app',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--log-level',
      'warning',
      // the client keeps its connection between rounds; uvicorn's default 5 s closed it during an
      // ingestion round, and the next export's request met a closed socket
      '--timeout-keep-alive',
      '3600',
    ],
    { cwd: PEERS, env: { ...process.env, PEER_NDJSON: ndjson }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 300_000; ;) {
    if (child.exitCode !== null) throw new Error(`the FastAPI peer exited with ${child.exitCode}`);
    if (
      await fetch(`${baseUrl}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, baseUrl };
    if (Date.now() > deadline) throw new Error('the FastAPI peer did not load within 300 s');
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function freshDatabase(adminUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const url = withDatabase(adminUrl, DATABASE);
  await migrate(url, log);
  return url;
}

/** dlt wants a password in the URL even where the server trusts the login; it is not checked then. */
function dltUrl(url: string): string {
  const u = new URL(url);
  if (!u.password) u.password = 'unused';
  return u.toString();
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
/**
 * Peak RSS of a server with every process it started (our generator processes; the peer has none),
 * sampled as a tree and never below the server process's own VmHWM; `bound` is the sum of each
 * process's VmHWM, which the tree's peak cannot exceed.
 */
function treePeak(pid: number) {
  const sampler = samplePeak(() => treeRssMb(pid), 100);
  return {
    take: () => ({
      peak: Math.round(Math.max(sampler.takePeak(), peakRssMb(pid))),
      bound: Math.round(treeHwmMb(pid)),
    }),
    stop: () => sampler.stop(),
  };
}

const summary = (xs: number[]) => `min ${Math.min(...xs).toFixed(2)}, median ${median(xs).toFixed(2)}`;
const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en-US');

async function main(): Promise<void> {
  run('uv', ['sync', '--project', PEERS, '--frozen', '--quiet']);
  const versions = JSON.parse(
    run(PYTHON, [
      '-c',
      'import json,sys,dlt,fastapi,uvicorn,orjson;print(json.dumps({"python":sys.version.split()[0],"dlt":dlt.__version__,"fastapi":fastapi.__version__,"uvicorn":uvicorn.__version__,"orjson":orjson.__version__}))',
    ]),
  ) as Record<string, string>;
  const config = loadConfig();
  const adminUrl = await resolveDatabaseUrl(log, config);
  const serverVersion = psql(adminUrl, 'SELECT version()').trim();
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'bench-peers-'));
  const ndjson = path.join(tmp, 'gl.ndjson');
  const copyFile = path.join(tmp, 'gl_lines.txt');
  const serviceEnv = { GL_API_THREADS: '2', GL_API_CACHE_MB: String(cacheMb) };
  const results = { cold: [] as number[], warm: [] as number[], peer: [] as number[], ours: [] as number[] };
  const ratios = { cold: [] as number[], warm: [] as number[], copy: [] as number[], dlt: [] as number[] };
  const ourRss = { peak: 0, bound: 0 };
  const peerRss = { peak: 0, bound: 0 };
  const keepMax = (into: typeof ourRss, seen: typeof ourRss) => {
    into.peak = Math.max(into.peak, seen.peak);
    into.bound = Math.max(into.bound, seen.bound);
  };
  let total = 0;

  // The shared input: the year as NDJSON, from a service that then serves the ingestion rounds warm.
  const feeder = await startGlService({ wells, asOf: AS_OF, env: serviceEnv });
  const peer = { current: undefined as Awaited<ReturnType<typeof startPeer>> | undefined };
  try {
    const res = await fetch(`${feeder.baseUrl}/v1/gl/entries?start=${START}&end=${END}`, {
      headers: { accept: 'application/x-ndjson' },
    });
    await pipeline(Readable.fromWeb(res.body as never), createWriteStream(ndjson));
    console.log(
      `window ${START}..${END}, GL_WELLS=${wells}: ${((await stat(ndjson)).size / 1e6).toFixed(0)} MB NDJSON`,
    );
    peer.current = await startPeer(ndjson);
    const peerMemory = treePeak(peer.current.child.pid ?? 0);

    for (let round = 1; round <= rounds; round++) {
      // --- export: ours (cold, then warm) and the FastAPI peer, order alternating
      const exportOrder = round % 2 ? ['ours', 'peer'] : ['peer', 'ours'];
      let cold = { lines: 0, seconds: 1 };
      let warm = cold;
      let fast = cold;
      for (const who of exportOrder) {
        if (who === 'ours') {
          const service = await startGlService({ wells, asOf: AS_OF, env: serviceEnv });
          const memory = treePeak(service.child.pid ?? 0);
          try {
            // wait for the generator threads (the as-of day lies outside the measured window)
            await fetch(`${service.baseUrl}/v1/gl/entries?start=${AS_OF}&end=${AS_OF}&limit=1`);
            cold = await readExport(service.baseUrl);
            warm = await readExport(service.baseUrl);
            keepMax(ourRss, memory.take());
          } finally {
            memory.stop();
            await stop(service.child);
          }
        } else {
          fast = await readExport(peer.current.baseUrl);
          keepMax(peerRss, peerMemory.take());
        }
      }
      if (cold.lines !== fast.lines || warm.lines !== fast.lines)
        throw new Error(`line counts differ: cold ${cold.lines}, warm ${warm.lines}, peer ${fast.lines}`);
      total = fast.lines;
      const coldRate = cold.lines / cold.seconds;
      const warmRate = warm.lines / warm.seconds;
      const peerRate = fast.lines / fast.seconds;
      ratios.cold.push(coldRate / peerRate);
      ratios.warm.push(warmRate / peerRate);
      results.cold.push(coldRate);
      results.warm.push(warmRate);
      results.peer.push(peerRate);
      console.log(
        `round ${round} export: ours cold ${rate(cold.lines, cold.seconds)} lines/s, warm ${rate(warm.lines, warm.seconds)}, ` +
          `FastAPI ${rate(fast.lines, fast.seconds)}`,
      );

      // --- ingestion into PostgreSQL: ingest gl, psql \copy, dlt, order rotating
      const url = await freshDatabase(adminUrl);
      const times: Record<string, { rows: number; seconds: number }> = {};
      const order = ['ours', 'copy', 'dlt'];
      for (let i = 0; i < round - 1; i++) order.push(order.shift() as string);
      for (const who of order) {
        // Each contender starts from the same server state: a checkpoint now writes out what the
        // one before it left dirty, rather than in the middle of the next one's load (a year of
        // lines is about max_wal_size of WAL, so a load otherwise pays for its predecessor's).
        psql(adminUrl, 'CHECKPOINT');
        if (who === 'ours') {
          // round 1 runs it first: its rows become the file psql \copy loads in every round
          const started = performance.now();
          const pool = createPool(url, { role: ROLES.loader, max: 4, application: 'gl-ingestion' });
          const outcome = await ingestGl(
            { pool, log },
            {
              gl: { url: feeder.baseUrl, token: undefined, asOf: AS_OF },
              mode: { kind: 'range', from: START, to: END },
              reference: false,
            },
          ).finally(() => pool.end());
          if (outcome.status === 'failed') throw new Error(outcome.message);
          times.ours = {
            rows: outcome.details.lines.inserted,
            seconds: (performance.now() - started) / 1000,
          };
          if (round === 1) psql(url, `\\copy (SELECT * FROM raw.gl_lines) TO '${copyFile}'`);
        }
        if (who === 'copy') times.copy = await psqlCopyBaseline(url, copyFile);
        if (who === 'dlt') {
          const out = run(PYTHON, [
            path.join(PEERS, 'dlt_load.py'),
            ndjson,
            dltUrl(url),
            `dlt_round${round}`,
            path.join(tmp, 'dlt'),
          ]);
          times.dlt = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { rows: number; seconds: number };
        }
      }
      const { ours, copy, dlt } = times as Record<string, { rows: number; seconds: number }>;
      if (!ours || !copy || !dlt) throw new Error('a contender did not run');
      if (ours.rows !== total || dlt.rows !== total)
        throw new Error(`row counts differ: export ${total}, ingest gl ${ours.rows}, dlt ${dlt.rows}`);
      results.ours.push(ours.rows / ours.seconds);
      ratios.copy.push(ours.rows / ours.seconds / (copy.rows / copy.seconds));
      ratios.dlt.push(ours.rows / ours.seconds / (dlt.rows / dlt.seconds));
      console.log(
        `round ${round} ingest: ingest gl ${rate(ours.rows, ours.seconds)} rows/s, psql \\copy ${rate(copy.rows, copy.seconds)}, ` +
          `dlt (csv/COPY) ${rate(dlt.rows, dlt.seconds)}`,
      );
    }
    peerMemory.stop();
    console.log(
      JSON.stringify({
        wells,
        lines: total,
        rounds,
        cacheMb,
        medianLinesPerS: {
          exportCold: Math.round(median(results.cold)),
          exportWarm: Math.round(median(results.warm)),
          exportFastApi: Math.round(median(results.peer)),
          ingestGl: Math.round(median(results.ours)),
        },
        ourRssMb: ourRss.peak,
        peerRssMb: peerRss.peak,
        ourRssBoundMb: ourRss.bound,
        peerRssBoundMb: peerRss.bound,
        server: serverVersion,
        node: process.version,
        ...versions,
      }),
    );
    console.log(
      `peers (${total} lines, GL_WELLS=${wells}, ${rounds} rounds): export cold ${summary(ratios.cold)}x FastAPI, ` +
        `warm ${summary(ratios.warm)}x, peak RSS ${ourRss.peak} MB vs ${peerRss.peak} MB (${(ourRss.peak / peerRss.peak).toFixed(2)}x; process trees); ` +
        `ingest ${summary(ratios.copy)}x psql \\copy, ${summary(ratios.dlt)}x dlt`,
    );
  } finally {
    if (peer.current) await stop(peer.current.child);
    await stop(feeder.child);
    await rm(tmp, { recursive: true, force: true });
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`).catch(() => undefined);
    await cleanup.end();
  }
}

await main();
process.exit(0);
