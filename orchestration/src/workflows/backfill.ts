/**
 * `pipeline backfill --from --to`: one child workflow per calendar month (ingest that month from
 * GL and EIA), each with the month as its id, one at a time on the backfill queue, then one dbt
 * build and the checks over everything, on the pipeline queue (dbt never runs twice at once).
 * Any process on the same database takes months from the queue (`serve --worker`), and the
 * month's run record names the executor that ran it. Ids make it idempotent twice over: the same
 * range re-issued returns the finished parent's result, and an overlapping range re-uses every
 * month already done.
 */
import { DBOS } from '@dbos-inc/dbos-sdk';
import { worstStatus } from '../../../core/outcome.ts';
import { addDays } from '../../../core/dates.ts';
import { historyRange } from '../../../ingestion/src/gl/dates.ts';
import * as records from '../runs/records.ts';
import { ingestEia } from '../tasks/ingest-eia.ts';
import { ingestGl } from '../tasks/ingest-gl.ts';
import { alert } from '../tasks/alert.ts';
import { transformCheckReport } from './pipeline-run.ts';
import { BACKFILL_QUEUE, PIPELINE_QUEUE, runtime } from './runtime.ts';
import { beginRun, finishRun, taskStep, type RunHandle, type RunSummary } from './steps.ts';
import type { Outcome } from '../../../core/outcome.ts';

export interface MonthSlice {
  /** YYYY-MM */
  month: string;
  from: string;
  to: string;
}

/** Calendar months of [from, to] (YYYY-MM-DD), each cut to the GL service's history before asOf. */
export function monthSlices(from: string, to: string, asOf: string): MonthSlice[] {
  if (from > to) throw new Error(`--from ${from} is after --to ${to}`);
  const history = historyRange(asOf);
  const start = from < history.from ? history.from : from;
  const end = to > history.to ? history.to : to;
  if (start > end) {
    throw new Error(
      `${from}..${to} lies outside the GL history the service serves (${history.from}..${history.to}, the 365 days before GL_AS_OF ${asOf})`,
    );
  }
  const slices: MonthSlice[] = [];
  let cursor = start;
  while (cursor <= end) {
    const month = cursor.slice(0, 7);
    const next = addDays(`${month}-01`, 32).slice(0, 7) + '-01';
    const last = addDays(next, -1);
    slices.push({ month, from: cursor, to: last < end ? last : end });
    cursor = next;
  }
  return slices;
}

export const monthWorkflowId = (slice: MonthSlice) =>
  `backfill-month:${slice.month}:${slice.from}..${slice.to}`;
export const backfillWorkflowId = (from: string, to: string) => `backfill:${from}..${to}`;

async function backfillMonth(slice: MonthSlice): Promise<RunSummary> {
  const run = await beginRun({
    command: 'backfill-month',
    trigger: 'backfill',
    details: { ...slice, executor: DBOS.executorID },
  });
  await taskStep(run, 'ingest-gl', (ctx) =>
    ingestGl(ctx, { mode: { kind: 'range', from: slice.from, to: slice.to } }),
  );
  await taskStep(run, 'ingest-eia', (ctx) => ingestEia(ctx, { from: slice.from, to: slice.to }));
  return finishRun(run);
}

export const backfillMonthWorkflow = DBOS.registerWorkflow(backfillMonth, { name: 'backfill-month' });

/** The build after the months: its steps are recorded on the backfill's own run. */
async function backfillTransform(parent: { runId: number; workflowId: string }): Promise<RunHandle['steps']> {
  const run: RunHandle = {
    runId: parent.runId,
    workflowId: parent.workflowId,
    workflow: 'backfill',
    steps: [],
  };
  // dbt source freshness says nothing about a past month: the checks' freshness covers the datasets
  await transformCheckReport(run, { scope: 'all', report: false, freshness: false });
  return run.steps;
}

export const backfillTransformWorkflow = DBOS.registerWorkflow(backfillTransform, {
  name: 'backfill-transform',
});

export interface BackfillSummary {
  runId: number;
  status: records.RunStatus;
  months: Array<{ month: string; workflowId: string; status: records.RunStatus; runId: number }>;
  steps: Record<string, Outcome>;
}

const outcomeStatus = (status: records.RunStatus) =>
  status === 'failed' ? 'failed' : status === 'warned' ? 'warn' : 'ok';

async function backfill(input: { from: string; to: string; slices: MonthSlice[] }): Promise<BackfillSummary> {
  const workflowId = DBOS.workflowID!;
  const runId = await DBOS.runStep(
    () =>
      records.beginRun(runtime().records, {
        workflowId,
        command: 'backfill',
        trigger: 'cli',
        details: { from: input.from, to: input.to, months: input.slices.map((s) => s.month) },
      }),
    { name: 'begin' },
  );
  const handles = [];
  for (const slice of input.slices) {
    handles.push(
      await DBOS.startWorkflow(backfillMonthWorkflow, {
        workflowID: monthWorkflowId(slice),
        queueName: BACKFILL_QUEUE,
      })(slice),
    );
  }
  const months: BackfillSummary['months'] = [];
  for (const [i, handle] of handles.entries()) {
    const result = await handle.getResult();
    months.push({
      month: input.slices[i]!.month,
      workflowId: handle.workflowID,
      status: result.status,
      runId: result.runId,
    });
  }
  // A failed month leaves the marts consistent, only short of it: the build still runs.
  const built = await DBOS.startWorkflow(backfillTransformWorkflow, {
    workflowID: `${workflowId}:transform`,
    queueName: PIPELINE_QUEUE,
  })({ runId, workflowId });
  const steps = await built.getResult();
  const failedMonths = months.filter((m) => m.status === 'failed').map((m) => m.month);
  const failedStep = steps.find((s) => s.outcome.status === 'failed');
  const status = records.runStatusOf(
    worstStatus([...months.map((m) => outcomeStatus(m.status)), ...steps.map((s) => s.outcome.status)]),
  );
  const error = [
    failedMonths.length ? `failed months: ${failedMonths.join(', ')}` : undefined,
    failedStep ? `${failedStep.name}: ${failedStep.outcome.message}` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  // a failed month alerts on its own; the build's failure is the backfill's to report
  if (failedStep) {
    await DBOS.runStep(
      () =>
        alert(runtime().ctx, {
          workflow: 'backfill',
          workflowId,
          runId,
          step: failedStep.name,
          error: failedStep.outcome.message,
          statusUrl: `http://127.0.0.1:${runtime().ctx.config.pipeline.statusPort}/`,
        }),
      { name: 'alert' },
    );
  }
  await DBOS.runStep(
    () =>
      records.finishRun(runtime().records, runId, {
        status,
        error: error || undefined,
        details: { children: months },
      }),
    { name: 'finish' },
  );
  return { runId, status, months, steps: Object.fromEntries(steps.map((s) => [s.name, s.outcome])) };
}

export const backfillWorkflow = DBOS.registerWorkflow(backfill, { name: 'backfill' });
