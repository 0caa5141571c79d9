import { DBOS } from '@dbos-inc/dbos-sdk';
import { InvalidArgumentError, type Command } from 'commander';
import type { Context } from '../context.ts';
import {
  backfillWorkflow,
  backfillWorkflowId,
  launchPipeline,
  monthSlices,
  shutdownPipeline,
  type BackfillSummary,
} from '../workflows/index.ts';
import { dayOrMonth, ordered } from './options.ts';

export function register(program: Command, ctx: Context): void {
  program
    .command('backfill')
    .description(
      'load and transform a range month by month (one durable child workflow per month); re-issuing a range, ' +
        'or one that overlaps, re-uses every month already done',
    )
    .requiredOption('--from <date>', 'first day (YYYY-MM-DD) or month (YYYY-MM)', dayOrMonth('--from', false))
    .requiredOption(
      '--to <date>',
      'last day (YYYY-MM-DD) or month (YYYY-MM, its last day)',
      dayOrMonth('--to', true),
    )
    .action(async (opts: { from: string; to: string }) => {
      ordered(opts.from, opts.to);
      let slices;
      try {
        slices = monthSlices(opts.from, opts.to, ctx.config.gl.asOf);
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
      await launchPipeline(ctx);
      try {
        const workflowID = backfillWorkflowId(opts.from, opts.to);
        const existing = await DBOS.getWorkflowStatus(workflowID);
        if (existing?.status === 'SUCCESS')
          ctx.log.info({ workflowId: workflowID }, 'this backfill already ran: nothing to do');
        const handle = await DBOS.startWorkflow(backfillWorkflow, { workflowID })({
          from: opts.from,
          to: opts.to,
          slices,
        });
        const summary: BackfillSummary = await handle.getResult();
        console.log(`backfill ${opts.from}..${opts.to} (${workflowID}): ${summary.status}`);
        for (const m of summary.months)
          console.log(`  ${m.month}  ${m.status.padEnd(9)} run ${m.runId}  ${m.workflowId}`);
        for (const [step, outcome] of Object.entries(summary.steps ?? {}))
          console.log(`  ${step.padEnd(9)} ${outcome.status.padEnd(9)} ${outcome.message}`);
        if (summary.status === 'failed') process.exitCode = 1;
      } finally {
        await shutdownPipeline();
      }
    });
}
