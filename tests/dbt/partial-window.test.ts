/**
 * Any window `ingest gl --from --to` accepts must transform green. One month in the middle of
 * the history (June 2023 of a history ending 2024-01-31) is loaded through the real GL service
 * and loader, then dbt builds: every model and error-severity test passes, and the reversal of
 * May's accrual (its original lies outside the window) is reported as the one warning, with the
 * count and earliest date; the month itself is flagged incomplete (its remittances arrive later).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/src/build.ts';
import { PROJECT_ROOT } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { createPool, ROLES } from '../../database/src/connection.ts';
import { EiaClient, ingestEia, startEiaReplayServer, type EiaReplayServer } from '../../ingestion/src/eia/index.ts';
import { ingestGl } from '../../ingestion/src/gl/index.ts';
import { transform, type TransformResult } from '../../orchestration/src/transform/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

const AS_OF = '2024-01-31';
const EIA_DIR = path.resolve(PROJECT_ROOT, '../shared/data/eia');
const log = createLogger('partial-window', { level: process.env.LOG_LEVEL ?? 'silent' });

let db: TestDatabase;
let api: FastifyInstance;
let replay: EiaReplayServer | undefined;
let loader: pg.Pool;
let targetPath: string;
let built: TransformResult;

beforeAll(async () => {
  db = await createTestDatabase();
  const deck = existsSync(EIA_DIR) ? EIA_DIR : undefined;
  api = await buildServer({ seed: 42, wells: 12, asOf: AS_OF, streamIntervalS: 30, priceDeckDir: deck });
  await api.listen({ port: 0, host: '127.0.0.1' });
  loader = createPool(db.url, { role: ROLES.loader });
  if (deck) {
    replay = await startEiaReplayServer({ dir: EIA_DIR, port: 0, host: '127.0.0.1', requireApiKey: false, log });
    const client = new EiaClient({ baseUrl: replay.baseUrl, log, requestsPerSecond: 50 });
    await ingestEia({ pool: loader, client, log }, { from: '2023-01-01', to: AS_OF });
  }
  const gl = await ingestGl(
    { pool: loader, log },
    {
      gl: { url: `http://127.0.0.1:${(api.server.address() as { port: number }).port}`, token: undefined, asOf: AS_OF },
      mode: { kind: 'range', from: '2023-06-01', to: '2023-06-30' },
    },
  );
  expect(gl.status).not.toBe('failed');
  expect(gl.details.lines.inserted).toBeGreaterThan(1000);
  targetPath = await mkdtemp(path.join(os.tmpdir(), 'partial-dbt-'));
  built = await transform({ databaseUrl: db.url, log, targetPath, logPath: path.join(targetPath, 'logs') });
}, 600_000);

afterAll(async () => {
  await loader?.end();
  await api?.close();
  await replay?.close();
  await db?.drop();
  if (targetPath) await rm(targetPath, { recursive: true, force: true });
});

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
