import type { Command } from 'commander';
import { createPool, ROLES } from '../../../database/src/connection.ts';
import type { Context } from '../context.ts';
import { collectStatus } from '../status/collect.ts';
import { runTargetPath } from '../workflows/pipeline-run.ts';

export function register(program: Command, ctx: Context): void {
  program
    .command('status')
    .description(
      'recent runs with their steps, the last checks and freshness; exits 1 when the last run failed',
    )
    .option('--json', 'print the same data as /api/status')
    .option('--limit <n>', 'runs to list', (v) => Number(v), 5)
    .action(async (opts: { json?: boolean; limit: number }) => {
      const db = createPool(await ctx.databaseUrl('reporting'), {
        role: ROLES.reporting,
        max: 2,
        application: 'pipeline-status',
      });
      try {
        const status = await collectStatus({
          db,
          targetPathOf: (runId) => runTargetPath(ctx.config.dataDir, runId),
          limit: opts.limit,
        });
        if (opts.json) console.log(JSON.stringify(status, null, 2));
        else {
          if (!status.runs.length) console.log('no runs yet: npm run pipeline -- run');
          for (const run of status.runs) {
            console.log(
              `#${run.run_id} ${run.command} ${run.status.toUpperCase()} ${new Date(run.started_at).toISOString()} ` +
                `${run.duration_s ?? '?'}s ${run.trigger}${run.recovery_attempts ? ` recovered ${run.recovery_attempts}x` : ''}  ${run.workflow_id}`,
            );
            for (const s of run.steps) {
              console.log(
                `    ${s.step.padEnd(11)} ${s.status.padEnd(7)} ${((s.duration_ms ?? 0) / 1000).toFixed(1).padStart(6)}s ` +
                  `x${s.executions}  ${s.message ?? ''}`,
              );
            }
            if (run.error) console.log(`    error: ${run.error}`);
          }
          const failed = status.checks.results.filter((c) => c.status === 'fail');
          console.log(
            `checks (run #${status.checks.runId ?? '-'}): ${failed.length} failed of ${status.checks.results.length}`,
          );
          for (const c of failed)
            console.log(`    ${c.severity.padEnd(5)} ${c.check_name}: ${c.message ?? ''}`);
          console.log('freshness:');
          for (const f of status.freshness)
            console.log(`    ${f.status === 'pass' ? 'fresh' : 'STALE'} ${f.dataset}: ${f.message ?? ''}`);
        }
        if (status.lastRun?.status === 'failed') process.exitCode = 1;
      } finally {
        await db.end();
      }
    });
}
