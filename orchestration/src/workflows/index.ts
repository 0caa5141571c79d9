/** The pipeline's DBOS workflows; importing this module registers them (before launch). */
export {
  backfillWorkflow,
  backfillMonthWorkflow,
  backfillWorkflowId,
  monthSlices,
  type BackfillSummary,
} from './backfill.ts';
export { eiaDailyWorkflow } from './eia-daily.ts';
export { glTransformWorkflow } from './gl-transform.ts';
export { pipelineRunWorkflow } from './pipeline-run.ts';
export { startSchedules, stopSchedules, scheduleSpecs, everyCron } from './schedules.ts';
export { launchPipeline, shutdownPipeline, PIPELINE_QUEUE, APPLICATION_VERSION } from './runtime.ts';
export type { RunSummary } from './steps.ts';
