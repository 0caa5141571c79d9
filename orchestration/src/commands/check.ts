import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { createPool, ROLES } from '../../../database/src/connection.ts';
import * as records from '../runs/records.ts';
import type { Context } from '../context.ts';
import { check, type CheckScope } from '../tasks/check.ts';
import { exitFor } from './options.ts';

function scope(value: string): CheckScope {
  if (value !== 'all' && value !== 'gl' && value !== 'eia')
    throw new InvalidArgumentError('expected all, gl or eia');
  return value;
}

export function register(program: Command, ctx: Context): void {
  program
    .command('check')
    .description(
      "data-quality checks: `dbt test` plus the pipeline's own (journals balance, reconciliation service → raw → marts, " +
        'freshness, row-count anomalies, quarantine growth), stored in ops.dq_results; exits 1 on an error-severity failure',
    )
    .option('--scope <scope>', 'all, gl or eia', scope, 'all' as CheckScope)
    .option('--no-dbt', 'skip `dbt test` and read the results of the last build in --target-path instead')
    .option('--target-path <dir>', 'dbt target directory (default .data/dbt/check)')
    .action(async (opts: { scope: CheckScope; dbt: boolean; targetPath?: string }) => {
      const url = await ctx.databaseUrl('loader');
      const db = createPool(url, { role: ROLES.loader, max: 1, application: 'pipeline-check' });
      try {
        const runId = await records.beginRun(db, {
          workflowId: `check:${new Date().toISOString()}`,
          command: 'check',
          trigger: 'cli',
          details: { scope: opts.scope },
        });
        await records.stepStarted(db, runId, 'check', 1);
        const outcome = await check(ctx, {
          runId,
          scope: opts.scope,
          runDbtTests: opts.dbt,
          targetPath: opts.targetPath ?? path.join(ctx.config.dataDir, 'dbt', 'check'),
        });
        await records.stepFinished(db, runId, 'check', outcome);
        await records.finishRun(db, runId, {
          status: records.runStatusOf(outcome.status),
          error: outcome.status === 'failed' ? outcome.message : undefined,
        });
        (outcome.status === 'failed' ? ctx.log.error : ctx.log.info).call(
          ctx.log,
          outcome.counts,
          outcome.message,
        );
        console.log(outcome.message);
        exitFor(outcome.status);
      } finally {
        await db.end();
      }
    });
}
