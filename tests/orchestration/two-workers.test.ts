/**
 * Two processes on one DBOS queue: `pipeline serve --worker` takes backfill months from the same
 * database as the `pipeline backfill` process that enqueued them. The year's months (13 slices of
 * the 365-day history) are each run exactly once, by one executor or the other, and the marts
 * equal those of the same backfill run by one process alone (built at the same time, in a
 * second database). Embedded project only (two backfills with a dbt build each).
 *
 * Months run one at a time across both processes and each poll of the queue is jittered, so which
 * process takes a month is a coin toss: both take part unless 13 tosses come out the same
 * (p = 2^-12).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import {
  martFingerprint,
  pipelineEnv,
  runCli,
  startCli,
  startServices,
  until,
  type CliRun,
  type Services,
} from './helpers.ts';

const MAIN = 'energy-pipeline';
const WORKER = 'energy-pipeline-worker:second';
const RANGE = ['backfill', '--from', '2023-01', '--to', '2024-01'];

let services: Services;
let twoWorkers: TestDatabase;
let oneWorker: TestDatabase;
let worker: CliRun | undefined;

describe.runIf(inject('projectName') === 'embedded')('two workers on one queue', () => {
  beforeAll(async () => {
    services = await startServices({ wells: 3 });
    [twoWorkers, oneWorker] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await worker?.exited;
    await twoWorkers?.drop();
    await oneWorker?.drop();
    await services?.close();
  });

  it(
    'a worker id names one executor: a second worker with the same id is refused',
    { timeout: 300_000 },
    async () => {
      const env = pipelineEnv(twoWorkers, services);
      worker = startCli(['serve', '--worker', '--worker-id', 'second'], env);
      await until(
        'the worker to listen',
        async () => worker!.output().includes('taking queued work'),
        60_000,
      );
      const twin = await runCli(['serve', '--worker', '--worker-id', 'second'], env);
      expect(twin.code).toBe(1);
      expect(twin.output).toContain('another process runs as executor energy-pipeline-worker:second');
      const bad = await runCli(['serve', '--worker-id', 'x'], env);
      expect(bad.code).toBe(1);
      expect(bad.output).toContain('--worker-id needs --worker');
    },
  );

  it(
    'splits a 12-month backfill across two processes, each month once, with the marts of one process',
    { timeout: 600_000 },
    async () => {
      const timed = async (db: TestDatabase) => {
        const started = performance.now();
        const run = await runCli(RANGE, pipelineEnv(db, services));
        return { ...run, seconds: (performance.now() - started) / 1000 };
      };
      // both backfills at once: the reference needs no worker, and the machine's two cores are shared
      const [two, one] = await Promise.all([timed(twoWorkers), timed(oneWorker)]);
      expect(two.code, two.output).toBe(0);
      expect(one.code, one.output).toBe(0);
      console.log(
        `backfill of 13 months, 3 wells: two processes ${two.seconds.toFixed(1)} s, one ${one.seconds.toFixed(1)} s`,
      );

      const { rows: months } = await twoWorkers.query<{
        workflow_id: string;
        runs: number;
        executor: string;
        dbos_executor: string;
        gl_executions: number;
      }>(
        `SELECT r.workflow_id, count(*) OVER (PARTITION BY r.workflow_id)::int AS runs,
                r.details->>'executor' AS executor, w.executor_id AS dbos_executor,
                s.executions AS gl_executions
           FROM ops.pipeline_runs r
           JOIN dbos.workflow_status w ON w.workflow_uuid = r.workflow_id
           JOIN ops.pipeline_steps s ON s.run_id = r.run_id AND s.step = 'ingest-gl'
          WHERE r.command = 'backfill-month' ORDER BY r.workflow_id`,
      );
      expect(months).toHaveLength(13);
      expect(months[0]!.workflow_id).toBe('backfill-month:2023-01:2023-01-31..2023-01-31');
      expect(months.at(-1)!.workflow_id).toBe('backfill-month:2024-01:2024-01-01..2024-01-30');
      for (const m of months) {
        expect(m.runs, m.workflow_id).toBe(1);
        expect(m.gl_executions, m.workflow_id).toBe(1);
        expect([MAIN, WORKER]).toContain(m.executor);
        expect(m.dbos_executor, m.workflow_id).toBe(m.executor);
      }
      expect(new Set(months.map((m) => m.executor))).toEqual(new Set([MAIN, WORKER]));

      // every line inserted once and none seen twice: no month was ingested twice
      const { rows: loads } = await twoWorkers.query<{
        lines: number;
        inserted: number;
        unchanged: number;
        unfinished: number;
      }>(
        `SELECT (SELECT count(*)::int FROM raw.gl_lines) AS lines,
                sum(rows_inserted)::int AS inserted, sum(rows_unchanged)::int AS unchanged,
                count(*) FILTER (WHERE status <> 'succeeded')::int AS unfinished
           FROM ops.ingestion_batches WHERE source = 'gl' AND entity = 'lines'`,
      );
      const { rows: reference } = await oneWorker.query<{ lines: number }>(
        `SELECT count(*)::int AS lines FROM raw.gl_lines`,
      );
      expect(loads[0]).toEqual({
        lines: reference[0]!.lines,
        inserted: reference[0]!.lines,
        unchanged: 0,
        unfinished: 0,
      });

      const { rows: parent } = await twoWorkers.query<{ status: string; steps: string[] }>(
        `SELECT r.status, array_agg(s.step ORDER BY s.position) AS steps
           FROM ops.pipeline_runs r JOIN ops.pipeline_steps s USING (run_id)
          WHERE r.command = 'backfill' GROUP BY r.status`,
      );
      expect(parent).toEqual([
        { status: expect.stringMatching(/^(succeeded|warned)$/), steps: ['transform', 'check'] },
      ]);
      expect(await martFingerprint(twoWorkers)).toEqual(await martFingerprint(oneWorker));
    },
  );
});
