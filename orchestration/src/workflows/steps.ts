/**
 * Workflow steps are tasks. `taskStep` runs one task as a DBOS step (checkpointed: a step that
 * finished is never run again, after a crash its recorded Outcome is returned) and mirrors it
 * into ops.pipeline_steps. `beginRun` / `finishRun` open and close the run's record, and a failed
 * run raises the alert.
 */
import { DBOS } from '@dbos-inc/dbos-sdk';
import { worstStatus, type Outcome } from '../../../core/outcome.ts';
import * as records from '../runs/records.ts';
import { alert } from '../tasks/alert.ts';
import { DBT_COULD_NOT_RUN, DBT_LOST_CONNECTION } from '../tasks/transform.ts';
import type { Context } from '../context.ts';
import { runtime } from './runtime.ts';

export interface RunHandle {
  runId: number;
  workflowId: string;
  workflow: string;
  steps: Array<{ name: string; outcome: Outcome }>;
}

/** A step failure worth another attempt (the task could not start, e.g. dbt lost its connection). */
class RetryableStepError extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome.message);
  }
}

export interface StepPolicy {
  /** Extra attempts when the Outcome is failed and `retryable(outcome)` says so (default none). */
  retries?: number;
  retryable?: (outcome: Outcome) => boolean;
  intervalSeconds?: number;
}

/**
 * Retries per step kind. HTTP steps (ingestion) retry inside their clients already, so they get
 * no step-level retries (attempts would multiply); dbt gets one more attempt when it could not
 * run at all or lost its database connection mid-build (a restart, a failover); a failed test or
 * check is a result, never retried.
 */
export const STEP_POLICY: Record<string, StepPolicy> = {
  transform: {
    retries: 1,
    intervalSeconds: 10,
    retryable: (o) => o.message.startsWith(DBT_COULD_NOT_RUN) || o.message.startsWith(DBT_LOST_CONNECTION),
  },
  report: { retries: 1, intervalSeconds: 5, retryable: () => true },
};

/** Opens the run's record. Its id is a step output, so a retry (a fork) continues the same run. */
export async function beginRun(start: Omit<records.RunStart, 'workflowId'>): Promise<RunHandle> {
  const workflowId = DBOS.workflowID!;
  const runId = await DBOS.runStep(() => records.beginRun(runtime().records, { ...start, workflowId }), {
    name: 'begin',
  });
  return { runId, workflowId, workflow: start.command, steps: [] };
}

export async function taskStep(
  run: RunHandle,
  name: string,
  task: (ctx: Context) => Promise<Outcome>,
): Promise<Outcome> {
  const position = run.steps.length + 1;
  const policy = STEP_POLICY[name] ?? {};
  let outcome: Outcome;
  try {
    outcome = await DBOS.runStep(
      async () => {
        const { ctx, records: db } = runtime();
        await records.stepStarted(db, run.runId, name, position);
        let result: Outcome;
        try {
          result = await task(ctx);
        } catch (error) {
          // A thrown task is a bug or an unusable precondition: reported as the step's failure.
          const message = error instanceof Error ? error.message : String(error);
          ctx.log.error({ err: error, step: name }, `step ${name} threw: ${message}`);
          result = { status: 'failed', counts: {}, durationMs: 0, message: `${name} threw: ${message}` };
        }
        await records.stepFinished(db, run.runId, name, result);
        ctx.log[result.status === 'failed' ? 'error' : result.status === 'warn' ? 'warn' : 'info'](
          {
            run: run.runId,
            step: name,
            status: result.status,
            durationMs: result.durationMs,
            ...result.counts,
          },
          `${name}: ${result.message}`,
        );
        if (result.status === 'failed' && policy.retries && policy.retryable?.(result))
          throw new RetryableStepError(result);
        return result;
      },
      {
        name,
        retriesAllowed: Boolean(policy.retries),
        maxAttempts: (policy.retries ?? 0) + 1,
        intervalSeconds: policy.intervalSeconds ?? 1,
        backoffRate: 2,
        shouldRetry: (error) => error instanceof RetryableStepError,
      },
    );
  } catch (error) {
    const last = error instanceof RetryableStepError ? error.outcome : undefined;
    const message = error instanceof Error ? error.message : String(error);
    outcome = last ?? { status: 'failed', counts: {}, durationMs: 0, message: `${name}: ${message}` };
  }
  run.steps.push({ name, outcome });
  return outcome;
}

export async function skipStep(run: RunHandle, name: string, reason: string): Promise<void> {
  const position = run.steps.length + 1;
  await DBOS.runStep(() => records.stepSkipped(runtime().records, run.runId, name, position, reason), {
    name: `${name} (skipped)`,
  });
  run.steps.push({
    name,
    outcome: {
      status: 'warn',
      counts: {},
      durationMs: 0,
      message: `skipped: ${reason}`,
      details: { skipped: true },
    },
  });
}

export interface RunSummary {
  runId: number;
  workflowId: string;
  status: records.RunStatus;
  failedStep: string | null;
  steps: Record<string, Outcome>;
}

/** Closes the run: its status is the worst step's; a failed run alerts (once: the alert is a step). */
export async function finishRun(run: RunHandle): Promise<RunSummary> {
  const failed = run.steps.find((s) => s.outcome.status === 'failed');
  const status = records.runStatusOf(worstStatus(run.steps.map((s) => s.outcome.status)));
  if (failed) {
    await DBOS.runStep(
      async () => {
        const { ctx } = runtime();
        return alert(ctx, {
          workflow: run.workflow,
          workflowId: run.workflowId,
          runId: run.runId,
          step: failed.name,
          error: failed.outcome.message,
          statusUrl: `http://127.0.0.1:${ctx.config.pipeline.statusPort}/`,
        });
      },
      { name: 'alert' },
    );
  }
  await DBOS.runStep(
    async () => {
      const recovery = (await DBOS.getWorkflowStatus(run.workflowId))?.recoveryAttempts ?? 0;
      await records.finishRun(runtime().records, run.runId, {
        status,
        error: failed ? `${failed.name}: ${failed.outcome.message}` : undefined,
        recoveryAttempts: Math.max(0, Number(recovery) - 1),
      });
    },
    { name: 'finish' },
  );
  return {
    runId: run.runId,
    workflowId: run.workflowId,
    status,
    failedStep: failed?.name ?? null,
    steps: Object.fromEntries(run.steps.map((s) => [s.name, s.outcome])),
  };
}
