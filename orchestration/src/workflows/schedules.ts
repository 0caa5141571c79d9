/**
 * The schedules of `pipeline serve`: the daily EIA workflow (PIPELINE_EIA_CRON) and the frequent GL
 * transform (GL_TRANSFORM_EVERY). A slot starts its run on the pipeline queue with the slot in the
 * workflow id (a slot never runs twice) and the workflow kind as deduplication id: while the
 * previous run of that kind is queued or running, the new slot is recorded as skipped.
 */
import { DBOS } from '@dbos-inc/dbos-sdk';
import * as records from '../runs/records.ts';
import { eiaDailyWorkflow } from './eia-daily.ts';
import { glTransformWorkflow } from './gl-transform.ts';
import { PIPELINE_QUEUE, runtime } from './runtime.ts';

/** Only `serve` runs scheduled work; a slot that reaches another process (run, backfill) is a no-op. */
let enabled = false;

const WORKFLOWS = { 'gl-transform': glTransformWorkflow, 'eia-daily': eiaDailyWorkflow } as const;
type Kind = keyof typeof WORKFLOWS;

const isDuplicate = (error: unknown) =>
  (error as { name?: string })?.name === 'DBOSQueueDuplicatedError' ||
  /deduplication/i.test((error as Error)?.message ?? '');

async function fire(kind: Kind, scheduledDate: Date): Promise<void> {
  if (!enabled) return;
  const slot = scheduledDate.toISOString();
  const workflowID = `${kind}:${slot}`;
  try {
    await DBOS.startWorkflow(WORKFLOWS[kind], {
      workflowID,
      queueName: PIPELINE_QUEUE,
      enqueueOptions: { deduplicationID: kind },
    })({ trigger: `schedule:${kind}`, slot });
  } catch (error) {
    if (!isDuplicate(error)) throw error;
    await DBOS.runStep(
      async () => {
        const { ctx, records: db } = runtime();
        ctx.log.warn(
          { schedule: kind, slot },
          `${kind} slot ${slot} skipped: the previous run is still going`,
        );
        await records.recordSkip(db, {
          workflowId: workflowID,
          command: kind,
          trigger: `schedule:${kind}`,
          reason: 'skipped: the previous run of this schedule was still queued or running',
          details: { slot },
        });
      },
      { name: 'skip' },
    );
  }
}

const fireGlTransform = DBOS.registerWorkflow((date: Date, _context: unknown) => fire('gl-transform', date), {
  name: 'schedule-gl-transform',
});
const fireEiaDaily = DBOS.registerWorkflow((date: Date, _context: unknown) => fire('eia-daily', date), {
  name: 'schedule-eia-daily',
});

/** Cron (with seconds) for "every N seconds"; N must divide a minute, an hour or a day evenly. */
export function everyCron(seconds: number): string {
  if (seconds < 60 && 60 % seconds === 0) return `*/${seconds} * * * * *`;
  if (seconds % 60 === 0 && seconds < 3600 && 3600 % seconds === 0) return `0 */${seconds / 60} * * * *`;
  if (seconds % 3600 === 0 && seconds < 86_400 && 86_400 % seconds === 0)
    return `0 0 */${seconds / 3600} * * *`;
  throw new Error(
    `GL_TRANSFORM_EVERY=${seconds}s cannot be a schedule: use a value that divides a minute, an hour or a day (e.g. 10s, 30s, 5m, 15m, 1h)`,
  );
}

export interface ScheduleSpec {
  name: Kind;
  cron: string;
}

export function scheduleSpecs(): ScheduleSpec[] {
  const { pipeline } = runtime().ctx.config;
  return [
    { name: 'gl-transform', cron: everyCron(pipeline.glTransformEverySeconds) },
    { name: 'eia-daily', cron: pipeline.eiaCron },
  ];
}

/** After launch: make the stored schedules exactly ours, and let this process run their slots. */
export async function startSchedules(): Promise<ScheduleSpec[]> {
  const specs = scheduleSpecs();
  const fns = { 'gl-transform': fireGlTransform, 'eia-daily': fireEiaDaily };
  enabled = true;
  await DBOS.applySchedules(
    specs.map((s) => ({
      scheduleName: s.name,
      workflowFn: fns[s.name],
      schedule: s.cron,
      cronTimezone: 'UTC',
    })),
  );
  return specs;
}

/**
 * A worker (`serve --worker`) runs slots that reach it but leaves the stored schedules to `serve`:
 * a slot only enqueues its run, which any process can do.
 */
export function runScheduledSlots(): void {
  enabled = true;
}

export function stopSchedules(): void {
  enabled = false;
}
