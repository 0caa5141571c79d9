/**
 * The frequent GL workflow (`serve`, every GL_TRANSFORM_EVERY): a catch-up backfill of any days
 * the follower missed (a no-op when current), then the incremental dbt build of the GL lineage
 * and the GL checks. The follower itself runs beside it (serve.ts), streaming into raw.
 */
import { DBOS } from '@dbos-inc/dbos-sdk';
import { ingestGl } from '../tasks/ingest-gl.ts';
import { LINEAGE } from '../tasks/transform.ts';
import { transformCheckReport } from './pipeline-run.ts';
import { beginRun, finishRun, taskStep, type RunSummary } from './steps.ts';

async function glTransform(input: { trigger: string; slot: string }): Promise<RunSummary> {
  const run = await beginRun({
    command: 'gl-transform',
    trigger: input.trigger,
    details: { slot: input.slot },
  });
  await taskStep(run, 'ingest-gl', (ctx) => ingestGl(ctx, { reference: false }));
  await transformCheckReport(run, { select: LINEAGE.gl, scope: 'gl', report: false });
  return finishRun(run);
}

export const glTransformWorkflow = DBOS.registerWorkflow(glTransform, { name: 'gl-transform' });
