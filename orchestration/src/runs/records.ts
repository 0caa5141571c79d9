/**
 * The readable record of every workflow run and its steps (ops.pipeline_runs, ops.pipeline_steps).
 * DBOS's own tables (schema `dbos`) hold the durable state; these rows are what the status page,
 * `pipeline status`, the alert and the data-quality mart read. Every write is an upsert keyed by
 * the workflow id or (run, step), so a step re-executed after a crash updates its row.
 */
import type pg from 'pg';
import type { Outcome, OutcomeStatus } from '../../../core/outcome.ts';

type Db = Pick<pg.Pool, 'query'>;

export type RunStatus = 'running' | 'succeeded' | 'warned' | 'failed' | 'skipped';

export const runStatusOf = (status: OutcomeStatus): RunStatus =>
  status === 'ok' ? 'succeeded' : status === 'warn' ? 'warned' : 'failed';

export interface RunStart {
  workflowId: string;
  command: string;
  trigger: string;
  parentWorkflowId?: string;
  details?: Record<string, unknown>;
}

export async function beginRun(db: Db, run: RunStart): Promise<number> {
  const { rows } = await db.query<{ run_id: string }>(
    `INSERT INTO ops.pipeline_runs (command, workflow_id, trigger, parent_workflow_id, details)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (workflow_id) DO UPDATE SET status = 'running', finished_at = NULL, error = NULL
     RETURNING run_id`,
    [
      run.command,
      run.workflowId,
      run.trigger,
      run.parentWorkflowId ?? null,
      JSON.stringify(run.details ?? {}),
    ],
  );
  return Number(rows[0]!.run_id);
}

export async function finishRun(
  db: Db,
  runId: number,
  result: { status: RunStatus; error?: string; recoveryAttempts?: number; details?: Record<string, unknown> },
): Promise<void> {
  await db.query(
    `UPDATE ops.pipeline_runs
        SET status = $2, finished_at = clock_timestamp(), error = $3,
            recovery_attempts = greatest(recovery_attempts, $4), details = details || $5::jsonb
      WHERE run_id = $1`,
    [
      runId,
      result.status,
      result.error ?? null,
      result.recoveryAttempts ?? 0,
      JSON.stringify(result.details ?? {}),
    ],
  );
}

/** A schedule slot that fired while the previous run was still going: recorded, not run. */
export async function recordSkip(db: Db, run: RunStart & { reason: string }): Promise<void> {
  await db.query(
    `INSERT INTO ops.pipeline_runs (command, workflow_id, trigger, status, finished_at, error, details)
     VALUES ($1, $2, $3, 'skipped', clock_timestamp(), $4, $5)
     ON CONFLICT (workflow_id) DO NOTHING`,
    [run.command, run.workflowId, run.trigger, run.reason, JSON.stringify(run.details ?? {})],
  );
}

export async function stepStarted(db: Db, runId: number, step: string, position: number): Promise<void> {
  await db.query(
    `INSERT INTO ops.pipeline_steps (run_id, step, position) VALUES ($1, $2, $3)
     ON CONFLICT (run_id, step) DO UPDATE
       SET executions = ops.pipeline_steps.executions + 1, status = 'running',
           started_at = clock_timestamp(), finished_at = NULL`,
    [runId, step, position],
  );
}

export async function stepFinished(db: Db, runId: number, step: string, outcome: Outcome): Promise<void> {
  await db.query(
    `UPDATE ops.pipeline_steps
        SET status = $3, finished_at = clock_timestamp(), duration_ms = $4, counts = $5, message = $6
      WHERE run_id = $1 AND step = $2`,
    [runId, step, outcome.status, outcome.durationMs, JSON.stringify(outcome.counts), outcome.message],
  );
}

export async function stepSkipped(
  db: Db,
  runId: number,
  step: string,
  position: number,
  reason: string,
): Promise<void> {
  await db.query(
    `INSERT INTO ops.pipeline_steps (run_id, step, position, status, executions, finished_at, message)
     VALUES ($1, $2, $3, 'skipped', 0, clock_timestamp(), $4)
     ON CONFLICT (run_id, step) DO UPDATE SET status = 'skipped', message = $4`,
    [runId, step, position, reason],
  );
}
