/**
 * Any window `ingest gl --from --to` accepts must transform green. One month in the middle of
 * the history (June 2023 of a history ending 2024-01-31) is loaded through the real GL service
 * and loader, then dbt builds: every model and error-severity test passes, and the reversal of
 * May's accrual (its original lies outside the window) is reported as the one warning, with the
 * count and earliest date; the month itself is flagged incomplete (its remittances arrive later).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { ingestEia } from '../../ingestion/src/eia/index.ts';
import { ingestGl } from '../../ingestion/src/gl/index.ts';
import type { TransformResult } from '../../orchestration/src/transform/index.ts';
import { AS_OF, EIA_DIR, startPipelineSources, type PipelineSources } from '../helpers/pipeline.ts';

const log = createLogger('partial-window', { level: process.env.LOG_LEVEL ?? 'silent' });

let sources: PipelineSources;
let db: PipelineSources['db'];
let built: TransformResult;

beforeAll(async () => {
  const deck = existsSync(EIA_DIR) ? EIA_DIR : undefined;
  sources = await startPipelineSources({ log, wells: 12, priceDeckDir: deck, replay: deck !== undefined });
  db = sources.db;
  const { loader, eia } = sources;
  if (eia) await ingestEia({ pool: loader, client: eia, log }, { from: '2023-01-01', to: AS_OF });
  const gl = await ingestGl(
    { pool: loader, log },
    { gl: sources.gl, mode: { kind: 'range', from: '2023-06-01', to: '2023-06-30' } },
  );
  expect(gl.status).not.toBe('failed');
  expect(gl.details.lines.inserted).toBeGreaterThan(1000);
  built = await sources.transform();
}, 600_000);

afterAll(() => sources?.close());

describe('a one-month window in the middle of the history', () => {
  it('transforms green: every model builds and every error-severity test passes', () => {
    expect(built.build.problems).toEqual([]);
    expect(built.ok).toBe(true);
  });

  it('reports the reversals whose accrual lies before the window as a warning, with count and earliest date', async () => {
    expect(built.build.warnings.map((w) => w.uniqueId)).toContain('test.energy.assert_reversed_journals_are_loaded');
    const { rows } = await db.query<{ n: number; earliest: string }>(
      `SELECT count(DISTINCT journal_id)::int AS n, to_char(min(posting_date), 'YYYY-MM-DD') AS earliest
         FROM marts.fct_gl_lines
        WHERE reverses_journal_id IS NOT NULL
          AND reverses_journal_id NOT IN (SELECT journal_id FROM marts.fct_gl_lines)`,
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
    expect(rows[0]!.earliest).toBe('2023-06-01');
  });

  it('flags June incomplete: its costs and accrual are loaded, its remittances are not', async () => {
    const { rows } = await db.query(
      `SELECT to_char(accounting_month, 'YYYY-MM') AS month, has_revenue_actuals, has_revenue_accruals, has_costs, is_complete_month
         FROM marts.fct_month_completeness ORDER BY 1`,
    );
    expect(rows).toEqual([
      { month: '2023-06', has_revenue_actuals: false, has_revenue_accruals: true, has_costs: true, is_complete_month: false },
    ]);
    const { rows: complete } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM marts.fct_well_pnl_monthly WHERE is_complete_month`,
    );
    expect(complete[0]!.n).toBe(0);
  });
});
