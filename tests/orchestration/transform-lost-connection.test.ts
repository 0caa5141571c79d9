/**
 * Found by `npm run chaos` at 1x: a database restart while dbt builds cut off the nodes in flight
 * ("server closed the connection unexpectedly"; 4 success, 28 error, 144 skipped). The transform
 * step reported them as model errors and was not retried, so the check ran on half-built marts
 * and the run failed. A build cut off by a lost connection is now an Outcome the step policy
 * retries, and the retry builds everything.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import type { Context } from '../../orchestration/src/context.ts';
import { DBT_LOST_CONNECTION, transform } from '../../orchestration/src/tasks/transform.ts';
import { STEP_POLICY } from '../../orchestration/src/workflows/steps.ts';
import { loadFixture } from '../dbt/fixtures/load-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let db: TestDatabase;
let dataDir: string;
let ctx: Context;

beforeAll(async () => {
  db = await createTestDatabase();
  await loadFixture((sql, params) => db.query(sql, params));
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'transform-lost-'));
  ctx = {
    config: { ...loadConfig(), dataDir },
    log: createLogger('transform-lost-connection', { level: 'warn' }),
    databaseUrl: async (role) => (role === 'transformer' ? db.urlAs('transformer') : db.url),
  };
});

afterAll(async () => {
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Once dbt has built its first model, every dbt backend is terminated, as a restart would. */
async function cutDbtOffMidBuild(): Promise<number> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('staging', 'intermediate', 'marts') AND c.relkind IN ('r', 'v', 'm', 'p')`,
    );
    if (rows[0]!.n > 0) {
      const killed = await db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND application_name LIKE 'dbt%' AND pid <> pg_backend_pid()`,
      );
      if (killed.rowCount) return killed.rowCount;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('dbt never built a model');
}

describe('transform after a lost database connection', () => {
  it('is a retryable Outcome, and the retry builds every model', { timeout: 600_000 }, async () => {
    const [cut, terminated] = await Promise.all([
      transform(ctx, { targetPath: path.join(dataDir, 't') }),
      cutDbtOffMidBuild(),
    ]);
    expect(terminated).toBeGreaterThan(0);
    expect(cut.status).toBe('failed');
    expect(cut.message.startsWith(DBT_LOST_CONNECTION), cut.message).toBe(true);
    expect(STEP_POLICY.transform!.retryable!(cut)).toBe(true);

    const retried = await transform(ctx, { targetPath: path.join(dataDir, 't') });
    expect(retried.status, retried.message).not.toBe('failed');
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM marts.fct_gl_lines`);
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it('a failing data test is not mistaken for a lost connection', () => {
    const failedTest = {
      status: 'failed' as const,
      counts: {},
      durationMs: 0,
      message: 'dbt build: 1 problem(s): test x: fail',
    };
    expect(STEP_POLICY.transform!.retryable!(failedTest)).toBe(false);
  });
});
