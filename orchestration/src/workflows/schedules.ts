/**
 * The schedules of `pipeline serve`: the daily EIA workflow (PIPELINE_EIA_CRON) and the frequent GL
 * transform (GL_TRANSFORM_EVERY). A slot starts its run on the pipeline queue with the slot in the
 * workflow id (a slot never runs twice). Of each kind at most two runs exist at once, the one
 * going and one follow-up queued behind it (two deduplication ids): a slot that fires during a run
 * queues the follow-up, which starts the moment the run ends, so a build longer than the interval
 * is followed at once rather than at the next free slot (freshness: docs/performance.md). A slot
 * that finds both taken is recorded as skipped: the queued follow-up will take in its data.
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

/** The deduplication ids of a kind's runs: the run going, then the follow-up queued behind it. */
const lanes = (kind: Kind) => [kind, `${kind}:follow-up`];

async function fire(kind: Kind, scheduledDate: Date): Promise<void> {
  if (!enabled) return;
  const slot = scheduledDate.toISOString();
  const workflowID = `${kind}:${slot}`;
  for (const deduplicationID of lanes(kind)) {
    try {
      await DBOS.startWorkflow(WORKFLOWS[kind], {
        workflowID,
        queueName: PIPELINE_QUEUE,
        enqueueOptions: { deduplicationID },
      })({ trigger: `schedule:${kind}`, slot });
      return;
    } catch (error) {
      if (!isDuplicate(error)) throw error;
    }
  }
  await DBOS.runStep(
    async () => {
      const { ctx, records: db } = runtime();
      ctx.log.warn(
        { schedule: kind, slot },
        `${kind} slot ${slot} skipped: a run is going and its follow-up is queued`,
      );
      await records.recordSkip(db, {
        workflowId: workflowID,
        command: kind,
        trigger: `schedule:${kind}`,
        reason: 'skipped: a run of this schedule was going and its follow-up already queued',
        details: { slot },
      });
    },
    { name: 'skip' },
  );
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
