/**
 * `./run.sh` end to end, as a reviewer runs it on a machine with no Docker and no database: the
 * embedded PostgreSQL, the GL service, the replayed EIA data, then ingest → transform → check →
 * report. Asserts the summary and the reports; a second run succeeds and duplicates nothing; an
 * interrupted run and `--serve` followed by `--stop` leave no process behind.
 *
 * Processes are found by a marker in their environment, which everything run.sh starts inherits
 * (npm, node, dbt, and the postgres server pg_ctl detaches), so "nothing left" means nothing.
 * It runs once (embedded project) with a small GL_WELLS and its own data folder and ports.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/config.ts';
import type { RunSummary } from '../../scripts/run-summary.ts';

const MARKER = `RUNSH_TEST_${randomUUID().replace(/-/g, '')}`;
const DATA_DIR = path.join(PROJECT_ROOT, '.data', `test-run-sh-${process.pid}`);
const SHARED_EIA = path.resolve(PROJECT_ROOT, '../shared/data/eia');
const RUN_TIMEOUT_MS = 15 * 60_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Pids of live processes whose environment carries this test's marker. */
function markedProcesses(): Array<{ pid: number; command: string }> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'latin1').includes(MARKER)) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'latin1').replace(/\0/g, ' ').trim();
      const state = /^State:\s+(\w)/m.exec(readFileSync(`/proc/${entry}/status`, 'latin1'))?.[1];
      if (state !== 'Z') found.push({ pid: Number(entry), command });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

async function expectNoProcessLeft(): Promise<void> {
  const deadline = Date.now() + 30_000;
  let left = markedProcesses();
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    left = markedProcesses();
  }
  expect(left, 'processes left behind').toEqual([]);
}

interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

let env: NodeJS.ProcessEnv;
let glPort: number;
let statusPort: number;

function runSh(args: string[], options: { interruptWhen?: RegExp } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['run.sh', ...args], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let interrupted = false;
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.interruptWhen && !interrupted && options.interruptWhen.test(output)) {
        interrupted = true;
        // Ctrl-C as a user would press it, but to run.sh alone: it must stop what it started.
        setTimeout(() => child.kill('SIGINT'), 1500);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGTERM'), RUN_TIMEOUT_MS);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, output });
    });
  });
}

const readSummary = () =>
  JSON.parse(readFileSync(path.join(DATA_DIR, 'run', 'last-summary.json'), 'utf8')) as RunSummary;

const enabled = inject('projectName') === 'embedded' && existsSync(SHARED_EIA);

describe.runIf(enabled).sequential('./run.sh end to end', () => {
  let started: number;
  let first: RunSummary;

  beforeAll(async () => {
    glPort = await freePort();
    statusPort = await freePort();
    env = { ...process.env };
    for (const key of [
      'DATABASE_URL',
      'GL_API_URL',
      'GL_AS_OF',
      'EIA_API_KEY',
      'EIA_BASE_URL',
      'EIA_REPLAY_DIR',
      'LOG_FORMAT',
    ]) {
      delete env[key];
    }
    Object.assign(env, {
      [MARKER]: '1',
      PIPELINE_DATA_DIR: DATA_DIR,
      GL_WELLS: '12',
      GL_API_PORT: String(glPort),
      PIPELINE_STATUS_PORT: String(statusPort),
      GL_TRANSFORM_EVERY: '1h',
      LOG_LEVEL: 'info',
    });
    started = Date.now();
  });

  afterAll(async () => {
    // Whatever a failed assertion left: stop it, then remove the data folder.
    await runSh(['--stop']);
    for (const { pid } of markedProcesses()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(DATA_DIR, { recursive: true, force: true });
  }, 120_000);

  it(
    'runs the whole pipeline, prints the summary and writes both reports',
    async () => {
      // A first run installs when the lockfile is newer than node_modules; a test must not
      // reinstall the node_modules it runs from, so it skips the install only in that case.
      const lock = statSync(path.join(PROJECT_ROOT, 'package-lock.json')).mtimeMs;
      const installed = path.join(PROJECT_ROOT, 'node_modules', '.package-lock.json');
      const skip = !existsSync(installed) || statSync(installed).mtimeMs < lock ? ['--skip-install'] : [];
      const run = await runSh(skip);
      expect(run.status, run.output.slice(-6000)).toBe(0);
      for (const step of ['[1/4]', '[2/4]', '[3/4]', '[4/4]', 'Summary']) expect(run.output).toContain(step);
      expect(run.output).toMatch(/raw\s+[\d,]+ rows in \d+ tables/);
      expect(run.output).toMatch(/marts\s+[\d,]+ rows in \d+ tables/);
      expect(run.output).toMatch(/checks\s+[\d,]+ passed · [\d,]+ warned · 0 failed/);
      expect(run.output).toContain('as of      2024-01-31');
      expect(run.output).toContain('GL_AS_OF=2024-01-31: the last day every replayed EIA dataset');

      first = readSummary();
      expect(first.asOf).toBe('2024-01-31');
      expect(first.layers.raw!.counts['raw.gl_lines']).toBeGreaterThan(1000);
      expect(first.layers.raw!.counts['raw.eia_observations']).toBeGreaterThan(100);
      expect(first.layers.marts!.rows).toBeGreaterThan(0);
      expect(first.eiaLoaded).toBe(true);
      expect(first.checks?.failed).toBe(0);
      expect(first.checks!.passed).toBeGreaterThan(10);
      expect(first.months?.last).toBe('2024-01');
      expect(first.dbtDocs).toMatch(/static_index\.html$/);

      const reports = first.reports.map((file) => path.join(PROJECT_ROOT, file));
      expect(reports.some((f) => f.endsWith('.xlsx'))).toBe(true);
      expect(reports.some((f) => f.endsWith('.pdf'))).toBe(true);
      for (const file of reports) {
        expect(statSync(file).size, file).toBeGreaterThan(1000);
        expect(statSync(file).mtimeMs, `${file} written by this run`).toBeGreaterThan(started);
      }
      await expectNoProcessLeft();
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'runs again and duplicates nothing: every raw table keeps its row count',
    async () => {
      const run = await runSh(['--skip-install']);
      expect(run.status, run.output.slice(-6000)).toBe(0);
      const second = readSummary();
      // the archive too: the look-back re-fetch changes nothing, so it archives nothing
      expect(second.layers.raw!.counts).toEqual(first.layers.raw!.counts);
      expect(first.layers.raw!.counts['raw.eia_responses']).toBeGreaterThan(0);
      expect(Object.keys(second.layers.raw!.counts).length).toBeGreaterThanOrEqual(8);
      expect(second.checks?.failed).toBe(0);
      await expectNoProcessLeft();
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'stops everything it started when interrupted',
    async () => {
      const run = await runSh(['--skip-install'], { interruptWhen: /\[4\/4\]/ });
      expect(run.status, run.output.slice(-4000)).toBe(130);
      expect(run.output).toContain('interrupted');
      await expectNoProcessLeft();
    },
    RUN_TIMEOUT_MS,
  );

  it(
    '--serve leaves the status page and the GL service answering; --stop leaves nothing',
    async () => {
      const serve = await runSh(['--serve', '--skip-install']);
      expect(serve.status, serve.output.slice(-6000)).toBe(0);
      expect(serve.output).toContain(`http://127.0.0.1:${statusPort}/`);
      const health = await fetch(`http://127.0.0.1:${statusPort}/health`);
      expect(health.status).toBe(200);
      const page = await fetch(`http://127.0.0.1:${statusPort}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect((await fetch(`http://127.0.0.1:${glPort}/health`)).status).toBe(200);
      expect(markedProcesses().length).toBeGreaterThan(0);

      const stop = await runSh(['--stop']);
      expect(stop.status, stop.output).toBe(0);
      await expectNoProcessLeft();
      await expect(fetch(`http://127.0.0.1:${statusPort}/health`)).rejects.toThrow();
    },
    RUN_TIMEOUT_MS,
  );
});
