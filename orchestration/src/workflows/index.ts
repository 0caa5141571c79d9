/** The pipeline's DBOS workflows; importing this module registers them (before launch). */
export {
  backfillWorkflow,
  backfillMonthWorkflow,
  backfillTransformWorkflow,
  backfillWorkflowId,
  monthSlices,
  type BackfillSummary,
} from './backfill.ts';
export { eiaDailyWorkflow } from './eia-daily.ts';
export { glTransformWorkflow } from './gl-transform.ts';
export { pipelineRunWorkflow } from './pipeline-run.ts';
export { startSchedules, runScheduledSlots, stopSchedules, scheduleSpecs, everyCron } from './schedules.ts';
export {
  launchPipeline,
  shutdownPipeline,
  workerExecutorId,
  PIPELINE_QUEUE,
  BACKFILL_QUEUE,
  APPLICATION_VERSION,
} from './runtime.ts';
export type { RunSummary } from './steps.ts';
