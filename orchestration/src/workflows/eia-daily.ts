/** The daily EIA workflow (cron PIPELINE_EIA_CRON, default 06:00 UTC): ingest with look-back → dbt of the EIA lineage → checks → reports. */
import { DBOS } from '@dbos-inc/dbos-sdk';
import { ingestEia } from '../tasks/ingest-eia.ts';
import { LINEAGE } from '../tasks/transform.ts';
import { transformCheckReport } from './pipeline-run.ts';
import { beginRun, finishRun, taskStep, type RunSummary } from './steps.ts';

async function eiaDaily(input: { trigger: string; slot: string }): Promise<RunSummary> {
  const run = await beginRun({ command: 'eia-daily', trigger: input.trigger, details: { slot: input.slot } });
  await taskStep(run, 'ingest-eia', (ctx) => ingestEia(ctx));
  await transformCheckReport(run, { select: LINEAGE.eia, scope: 'eia', report: true });
  return finishRun(run);
}

export const eiaDailyWorkflow = DBOS.registerWorkflow(eiaDaily, { name: 'eia-daily' });
