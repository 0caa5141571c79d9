/**
 * Crash safety: `pipeline ingest eia` runs in a child process against the test database and the
 * replay server; it is SIGKILLed while a series' transaction is open (held by the hidden
 * --pause-before-commit hook, after COPY, upserts, archive, watermark and finishBatch). A rerun
 * must close the interrupted batch as `abandoned` (with the reason) and end with exactly the raw tables of a clean run.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/config.ts';
import { startEiaReplayServer, type EiaReplayServer } from '../../ingestion/src/eia/replay/server.ts';
import {
  batches,
  EIA_DIR,
  eiaDatabase,
  run,
  snapshot,
  TEST_KEY,
  type EiaTestDatabase,
} from './eia-helpers.ts';

let replay: EiaReplayServer;
const dbs: EiaTestDatabase[] = [];

beforeAll(async () => {
  replay = await startEiaReplayServer({ dir: EIA_DIR, port: 0 });
});
afterAll(async () => {
  for (const db of dbs) await db.drop();
  await replay.close();
});

/** Starts the CLI; resolves when a stdout line matches `until`, with a kill function. */
function startCli(args: string[], databaseUrl: string, until: RegExp) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'orchestration/src/cli.ts', ...args], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      EIA_BASE_URL: replay.baseUrl,
      EIA_API_KEY: TEST_KEY,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // 'close' (not 'exit'): fires once stdout and stderr are drained
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const reached = new Promise<string>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (until.test(output)) resolve(output);
    };
    // logs go to stderr for commands (stdout is their output); accept either
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    void exited.then((code) => reject(new Error(`the CLI exited (${code}) before ${until}:\n${output}`)));
  });
  return { child, reached, exited, output: () => output };
}

describe('crash during a load', () => {
  const series = ['RWTC', 'MCRFPTX1', 'RBRTE'];
  const range = { from: '2019-01-01', to: '2021-12-31' };

  it('SIGKILL mid-transaction leaves the batch all-or-nothing; a rerun ends equal to a clean run', async () => {
    const crashed = await eiaDatabase();
    const clean = await eiaDatabase();
    dbs.push(crashed, clean);

    const cli = startCli(
      [
        'ingest',
        'eia',
        '--series',
        series.join(','),
        '--from',
        range.from,
        '--to',
        range.to,
        '--pause-before-commit',
        'MCRFPTX1:60000',
      ],
      crashed.url,
      /holding MCRFPTX1 before commit/,
    );
    await cli.reached;
    // MCRFPTX1's rows, archive, watermark and batch status are written but not committed
    const inFlight = await batches(crashed);
    expect(inFlight.map((b) => [b.entity, b.status])).toEqual([
      ['RWTC', 'succeeded'],
      ['MCRFPTX1', 'running'],
    ]);
    cli.child.kill('SIGKILL');
    expect(await cli.exited).toBeNull();

    const afterCrash = await snapshot(crashed);
    expect(new Set(afterCrash.observations.map((o) => o.series_id))).toEqual(new Set(['RWTC']));
    expect(afterCrash.watermarks.map((w) => w.key)).toEqual(['RWTC']);
    const orphans = await crashed.query(
      `SELECT count(*)::int AS n FROM raw.eia_responses r JOIN ops.ingestion_batches b USING (batch_id) WHERE b.status <> 'succeeded'`,
    );
    expect(orphans.rows[0].n).toBe(0);

    // the rerun (in process, same code path as the CLI) finishes the job
    const rerun = await run(crashed.pool, replay.baseUrl, { series, ...range });
    expect(rerun.map((o) => o.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(rerun[0]!.counts).toMatchObject({ inserted: 0, revised: 0 }); // RWTC was already committed
    const after = await batches(crashed);
    const abandoned = after.filter((b) => b.entity === 'MCRFPTX1' && b.status !== 'succeeded');
    expect(abandoned).toMatchObject([{ status: 'abandoned', error: expect.stringMatching(/^abandoned: /) }]);
    expect(after.filter((b) => b.status === 'running')).toEqual([]);

    await run(clean.pool, replay.baseUrl, { series, ...range });
    expect(await snapshot(crashed)).toEqual(await snapshot(clean));
  });

  it('the CLI exits 0 on success and non-zero when a series fails', async () => {
    const db = await eiaDatabase();
    dbs.push(db);
    const ok = startCli(
      ['ingest', 'eia', '--series', 'RNGWHHD', '--from', '2024-01-01', '--to', '2024-01-31'],
      db.url,
      /EIA ingestion finished/,
    );
    await ok.reached;
    expect(await ok.exited).toBe(0);
    expect(ok.output()).toMatch(/EIA RNGWHHD: 21 received, 21 new/);
    expect(ok.output()).not.toContain(TEST_KEY);
    const bad = startCli(['ingest', 'eia', '--series', 'NOPE'], db.url, /unknown EIA series NOPE/);
    await bad.reached;
    expect(await bad.exited).toBe(1);
  });
});
