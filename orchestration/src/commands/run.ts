import { DBOS } from '@dbos-inc/dbos-sdk';
import type { Command } from 'commander';
import type { Context } from '../context.ts';
import {
  launchPipeline,
  pipelineRunWorkflow,
  shutdownPipeline,
  type RunSummary,
} from '../workflows/index.ts';
import { printRunSummary } from './summary.ts';

export function register(program: Command, ctx: Context): void {
  program
    .command('run')
    .description(
      'the whole pipeline once, in order: ingest EIA → ingest GL → dbt build → checks → reports, as one durable ' +
        'workflow; after a crash the same command resumes the interrupted run (finished steps are not redone)',
    )
    .action(async () => {
      await launchPipeline(ctx);
      try {
        // launch() has re-queued a run this executor left unfinished: wait for it instead of starting another.
        const pending = await DBOS.listWorkflows({
          workflowName: 'run',
          status: ['PENDING', 'ENQUEUED'],
          sortDesc: true,
        });
        let summary: RunSummary;
        if (pending.length) {
          const id = pending[0]!.workflowID;
          ctx.log.warn(
            { workflowId: id },
            `resuming run ${id}, interrupted earlier: finished steps are not redone`,
          );
          summary = await DBOS.retrieveWorkflow<RunSummary>(id).getResult();
        } else {
          const workflowID = `run:${new Date().toISOString()}`;
          const handle = await DBOS.startWorkflow(pipelineRunWorkflow, { workflowID })({ trigger: 'cli' });
          summary = await handle.getResult();
        }
        printRunSummary(summary);
        if (summary.status === 'failed') process.exitCode = 1;
      } finally {
        await shutdownPipeline();
      }
    });
}
