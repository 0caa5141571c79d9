/**
 * The CLI validates every option before any work starts, a dbt selection that matches nothing is
 * an error, and a failed dbt source says which source and why (issue: hardening, item 5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeRunResults } from '../../orchestration/src/transform/dbt.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { pipelineEnv, runCli, startServices, type Services } from './helpers.ts';

let services: Services;
let db: TestDatabase;

beforeAll(async () => {
  services = await startServices({ wells: 2 });
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
  await services?.close();
});

describe('pipeline CLI options', () => {
  it.each([
    [['ingest', 'eia', '--from', '2024-02', '--to', '2024-01'], /--from 2024-02 is after --to 2024-01/],
    [['ingest', 'eia', '--series', 'RWTC,NOPE'], /unknown EIA series NOPE \(the catalog has RWTC/],
    [
      ['ingest', 'gl', '--from', '2024-01-10', '--to', '2024-01-01'],
      /--from 2024-01-10 is after --to 2024-01-01/,
    ],
    [['ingest', 'gl', '--from', '2024-02-30'], /--from must be a date YYYY-MM-DD, got "2024-02-30"/],
    [['ingest', 'gl', '--stop-after', '3'], /--stop-after needs --follow/],
    [
      ['backfill', '--from', '2023-13', '--to', '2024-01'],
      /--from must be YYYY-MM or YYYY-MM-DD, got "2023-13"/,
    ],
    [['check', '--scope', 'everything'], /expected all, gl or eia/],
    [['retry', '999'], /no run 999/],
  ])('%j is refused before any work', async (args, message) => {
    const result = await runCli(args, pipelineEnv(db, services));
    expect(result.code, result.output).toBe(1);
    expect(result.output).toMatch(message);
    expect((await db.query('SELECT 1 FROM ops.ingestion_batches')).rowCount).toBe(0);
  });

  it('a dbt selection that matches no node is an error', { timeout: 180_000 }, async () => {
    const env = pipelineEnv(db, services);
    const targetPath = `${env.PIPELINE_DATA_DIR}/dbt-no-selection`;
    const result = await runCli(['transform', '--select', 'no_such_model', '--target-path', targetPath], env);
    expect(result.code, result.output).toBe(1);
    expect(result.output).toMatch(/dbt selection \\?"no_such_model\\?" matches no node/);
  });

  it('a failed dbt source says which source and why', () => {
    const summary = summarizeRunResults({
      args: { which: 'source freshness' },
      results: [
        {
          unique_id: 'source.energy.gl.gl_lines',
          status: 'error',
          max_loaded_at: '0001-01-01T00:00:00+00:00',
          max_loaded_at_time_ago_in_s: 63931742993,
          criteria: { warn_after: { count: 2, period: 'hour' }, error_after: { count: 1, period: 'day' } },
        },
        {
          unique_id: 'source.energy.gl.gl_wells',
          status: 'warn',
          max_loaded_at: '2026-11-28T10:00:00+00:00',
          max_loaded_at_time_ago_in_s: 3 * 86_400,
          criteria: { warn_after: { count: 2, period: 'day' }, error_after: { count: null, period: null } },
        },
      ],
    });
    expect(summary.problems.map((p) => p.message)).toEqual([
      'source gl.gl_lines is stale: it has no rows yet (load it first: `pipeline ingest`), over the error limit of 1 day(s)',
    ]);
    expect(summary.warnings.map((p) => p.message)).toEqual([
      'source gl.gl_wells is stale: its newest row was loaded 3 days ago (2026-11-28T10:00:00+00:00), over the warning limit of 2 day(s)',
    ]);
  });
});
