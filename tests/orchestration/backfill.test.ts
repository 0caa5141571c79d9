/**
 * `pipeline backfill --from --to`: one child workflow per month, each with the month as its id.
 * Re-issuing the same range after it finished runs nothing again, and an overlapping range
 * re-uses the months already done (no new month runs, no new ingestion batches).
 * Embedded project only (three dbt builds).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { pipelineEnv, runCli, startServices, type Services } from './helpers.ts';

let services: Services;
let db: TestDatabase;

const counts = () =>
  db
    .query<{ runs: number; months: number; batches: number; workflows: number }>(
      `SELECT (SELECT count(*)::int FROM ops.pipeline_runs) AS runs,
              (SELECT count(*)::int FROM ops.pipeline_runs WHERE command = 'backfill-month') AS months,
              (SELECT count(*)::int FROM ops.ingestion_batches) AS batches,
              (SELECT count(*)::int FROM dbos.workflow_status) AS workflows`,
    )
    .then((r) => r.rows[0]!);

describe.runIf(inject('projectName') === 'embedded')('pipeline backfill', () => {
  beforeAll(async () => {
    services = await startServices({ wells: 3 });
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
    await services?.close();
  });

  it('rejects a bad range before any work', async () => {
    const env = pipelineEnv(db, services);
    const reversed = await runCli(['backfill', '--from', '2023-03', '--to', '2023-01'], env);
    expect(reversed.code).toBe(1);
    expect(reversed.output).toContain('--from 2023-03-01 is after --to 2023-01-31');
    const outside = await runCli(['backfill', '--from', '2025-01', '--to', '2025-02'], env);
    expect(outside.code).toBe(1);
    expect(outside.output).toMatch(/outside the GL history/);
    expect((await db.query(`SELECT 1 FROM ops.pipeline_runs`)).rowCount).toBe(0);
  });

  it(
    'runs three months as three child workflows; re-issued, it runs nothing again',
    { timeout: 1_200_000 },
    async () => {
      const env = pipelineEnv(db, services);
      // The history starts 2023-01-31 (365 days before GL_AS_OF 2024-01-31): three slices.
      const first = await runCli(['backfill', '--from', '2023-01', '--to', '2023-03'], env);
      expect(first.code, first.output).toBe(0);
      const { rows: months } = await db.query<{ workflow_id: string; status: string }>(
        `SELECT workflow_id, status FROM ops.pipeline_runs WHERE command = 'backfill-month' ORDER BY run_id`,
      );
      expect(months.map((m) => m.workflow_id)).toEqual([
        'backfill-month:2023-01:2023-01-31..2023-01-31',
        'backfill-month:2023-02:2023-02-01..2023-02-28',
        'backfill-month:2023-03:2023-03-01..2023-03-31',
      ]);
      expect(months.every((m) => m.status !== 'failed')).toBe(true);
      const { rows: lines } = await db.query<{ first: string; last: string }>(
        `SELECT min(posting_date)::text AS first, max(posting_date)::text AS last FROM marts.fct_gl_lines`,
      );
      expect(lines[0]).toEqual({ first: '2023-01-31', last: '2023-03-31' });
      const before = await counts();

      const again = await runCli(['backfill', '--from', '2023-01', '--to', '2023-03'], env);
      expect(again.code, again.output).toBe(0);
      expect(again.output).toContain('this backfill already ran: nothing to do');
      expect(await counts()).toEqual(before);

      // An overlapping range: a new parent, but every month it shares is re-used, not re-run.
      const overlap = await runCli(['backfill', '--from', '2023-02', '--to', '2023-03'], env);
      expect(overlap.code, overlap.output).toBe(0);
      const after = await counts();
      expect(after.months).toBe(before.months);
      expect(after.batches).toBe(before.batches);
      expect(after.runs).toBe(before.runs + 1); // the new parent only
    },
  );
});
