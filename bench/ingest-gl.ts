/**
 * `npm run bench -- ingest-gl [--scale N]`: one year of GL lines from the real service (a child
 * process on a free 127.0.0.1 port) through the GL client (HTTP NDJSON → validate → COPY →
 * raw.gl_lines), then the same rows, exported to a file, through `psql \copy` into an identical
 * table. The last line prints both rates, their ratio, the ingesting process's CPU time per line
 * and its peak RSS. --scale multiplies GL_WELLS (default 300), which scales the number of lines;
 * --batch-size sets the lines per transaction (default: the client's, 50 000); --warm reads the
 * year once before the timed load, so the service answers from its day cache as in
 * `bench -- peers` (the client and PostgreSQL then set the rate, not the generator).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { createPool, resolveDatabaseUrl, ROLES, withDatabase } from '../database/src/connection.ts';
import { migrate } from '../database/src/migrate.ts';
import { ingestGl } from '../ingestion/src/gl/index.ts';
import { historyRange } from '../ingestion/src/gl/dates.ts';
import { arg, psql, psqlCopyBaseline, startGlService } from './support.ts';

const BENCH_DATABASE = 'energy_bench_gl';
const AS_OF = '2024-12-31';

async function main(): Promise<void> {
  const scale = Number(arg('scale') ?? '1');
  const batchLines = arg('batch-size') === undefined ? undefined : Number(arg('batch-size'));
  const warm = process.argv.includes('--warm');
  if (!Number.isFinite(scale) || scale <= 0) throw new Error('--scale must be a positive number');
  const log = createLogger('bench', { level: 'warn' });
  const config = loadConfig();
  const wells = Math.max(1, Math.round((process.env.GL_WELLS ? config.gl.wells : 300) * scale));

  const baseUrl = await resolveDatabaseUrl(log, config);
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${BENCH_DATABASE}`);
  await admin.end();
  const url = withDatabase(baseUrl, BENCH_DATABASE);
  await migrate(url, log);

  // a day cache that holds the year (~1.7 MB of NDJSON per well)
  const env = warm ? { GL_API_CACHE_MB: String(wells * 2 + 64) } : undefined;
  const { child: service, baseUrl: serviceUrl } = await startGlService({ wells, asOf: AS_OF, env });
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'bench-gl-'));
  try {
    const { from, to } = historyRange(AS_OF);
    if (warm) {
      const res = await fetch(`${serviceUrl}/v1/gl/entries?start=${from}&end=${to}`, {
        headers: { accept: 'application/x-ndjson' },
      });
      // read and dropped as it arrives: the bench's peak RSS is the client's
      const reader = res.body!.getReader();
      while (!(await reader.read()).done);
    }
    // the service builds its reference data on start; the timed part is the year of lines
    const started = performance.now();
    const cpu = process.cpuUsage();
    const pool = createPool(url, { role: ROLES.loader, max: 4, application: 'gl-ingestion' });
    const outcome = await ingestGl(
      { pool, log },
      {
        gl: { url: serviceUrl, token: undefined, asOf: AS_OF },
        mode: { kind: 'range', from, to },
        reference: false,
        batchLines,
      },
    ).finally(() => pool.end());
    if (outcome.status === 'failed') throw new Error(outcome.message);
    const result = outcome.details;
    const pipelineSeconds = (performance.now() - started) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    const clientUsPerLine = (user + system) / result.lines.received;
    const rows = result.lines.inserted;
    const peakRssMb = process.resourceUsage().maxRSS / 1024;

    // the same rows, through psql \copy into an identical table
    const file = path.join(tmp, 'gl_lines.txt');
    psql(url, `\\copy (SELECT * FROM raw.gl_lines) TO '${file}'`);
    const { seconds: copySeconds } = await psqlCopyBaseline(url, file);
    const fileMb = (await stat(file)).size / 1024 / 1024;

    const pipelineRate = rows / pipelineSeconds;
    const copyRate = rows / copySeconds;
    console.log(
      JSON.stringify({
        scale,
        wells,
        warm,
        rows,
        fileMb: Math.round(fileMb),
        pipelineSeconds,
        copySeconds,
        batches: result.batches,
        clientUsPerLine,
      }),
    );
    console.log(
      `ingest-gl scale ${scale} (GL_WELLS=${wells}, ${rows.toLocaleString('en-US')} lines${warm ? ', warm service' : ''}): ` +
        `HTTP→validate→COPY→raw ${Math.round(pipelineRate).toLocaleString('en-US')} rows/s, ` +
        `psql \\copy ${Math.round(copyRate).toLocaleString('en-US')} rows/s, ` +
        `ratio ${(pipelineRate / copyRate).toFixed(2)}, client CPU ${clientUsPerLine.toFixed(1)} µs/line, ` +
        `peak RSS ${Math.round(peakRssMb)} MB`,
    );
  } finally {
    service.kill('SIGTERM');
    await rm(tmp, { recursive: true, force: true });
    const cleanup = new pg.Client({ connectionString: baseUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`).catch(() => undefined);
    await cleanup.end();
  }
}

await main();
process.exit(0);
