import { DBOS } from '@dbos-inc/dbos-sdk';
import type { Command } from 'commander';
import { createPool, ROLES } from '../../../database/src/connection.ts';
import type { Context } from '../context.ts';
import {
  APPLICATION_VERSION,
  launchPipeline,
  PIPELINE_QUEUE,
  shutdownPipeline,
  type RunSummary,
} from '../workflows/index.ts';
import { printRunSummary } from './summary.ts';

/** The workflow id and first failed step of a run given as its run id (a number) or workflow id. */
async function findFailedRun(
  ctx: Context,
  ref: string,
): Promise<{ workflowId: string; step: string | null }> {
  const db = createPool(await ctx.databaseUrl('loader'), { role: ROLES.loader, max: 1 });
  try {
    const { rows } = await db.query<{ workflow_id: string; status: string; step: string | null }>(
      `SELECT r.workflow_id, r.status,
              (SELECT s.step FROM ops.pipeline_steps s WHERE s.run_id = r.run_id AND s.status = 'failed'
                ORDER BY s.position LIMIT 1) AS step
         FROM ops.pipeline_runs r
        WHERE r.workflow_id = $1 OR r.run_id::text = $1
        ORDER BY r.run_id DESC LIMIT 1`,
      [ref],
    );
    const run = rows[0];
    if (!run) throw new Error(`no run ${ref} (see \`pipeline status\` for run ids)`);
    if (run.status !== 'failed')
      throw new Error(`run ${ref} did not fail (it is ${run.status}): nothing to retry`);
    return { workflowId: run.workflow_id, step: run.step };
  } finally {
    await db.end();
  }
}

export function register(program: Command, ctx: Context): void {
  program
    .command('retry')
    .argument('<run-id>', 'the failed run: its run id or workflow id (`pipeline status` lists both)')
    .description('re-run a failed run from its failed step (a DBOS fork: the steps before it are not redone)')
    .action(async (ref: string) => {
      const failed = await findFailedRun(ctx, ref);
      await launchPipeline(ctx);
      try {
        const steps = (await DBOS.listWorkflowSteps(failed.workflowId)) ?? [];
        // Fork from the failed step, or from the first step after `begin` when no step is marked.
        const from = steps.find((s) => s.name === failed.step) ?? steps.find((s) => s.name !== 'begin');
        if (!from) throw new Error(`workflow ${failed.workflowId} has no recorded steps to fork from`);
        const attempt = steps.length
          ? (await DBOS.listWorkflows({ forkedFrom: failed.workflowId })).length + 1
          : 1;
        const newWorkflowID = `${failed.workflowId}:retry-${attempt}`;
        ctx.log.info(
          { workflowId: failed.workflowId, step: from.name, newWorkflowID },
          `retrying from step ${from.name}`,
        );
        const handle = await DBOS.forkWorkflow<RunSummary>(failed.workflowId, from.functionID, {
          newWorkflowID,
          applicationVersion: APPLICATION_VERSION,
          queueName: PIPELINE_QUEUE,
        });
        const summary = await handle.getResult();
        printRunSummary(summary);
        if (summary.status === 'failed') process.exitCode = 1;
      } finally {
        await shutdownPipeline();
      }
    });
}
