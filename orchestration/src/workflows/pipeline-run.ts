/**
 * `pipeline run`: everything once, in order — EIA, GL, dbt build (all models and tests, then source
 * freshness), checks, reports. A failed transform or an error-severity check blocks the report:
 * no report is built on bad data. A failed ingestion does not (the marts are consistent, only
 * older), but it fails the run and raises the alert like any failed step.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { check } from '../tasks/check.ts';
import { ingestEia } from '../tasks/ingest-eia.ts';
import { ingestGl } from '../tasks/ingest-gl.ts';
import { report } from '../tasks/report.ts';
import { transform } from '../tasks/transform.ts';
import { beginRun, finishRun, skipStep, taskStep, type RunHandle, type RunSummary } from './steps.ts';
import { runtime } from './runtime.ts';

export interface RunInput {
  trigger: string;
}

/** Each run builds into a dbt target directory of its own, so a later run never reads another's results. */
export function runTargetPath(dataDir: string, runId: number): string {
  return path.join(dataDir, 'dbt', 'runs', String(runId));
}

const KEEP_TARGETS = 10;

/** serve builds every few minutes: only the newest runs' dbt target directories are kept. */
async function pruneTargets(dataDir: string, keep: number): Promise<void> {
  const dir = path.join(dataDir, 'dbt', 'runs');
  const ids = (await readdir(dir).catch(() => [] as string[])).map(Number).filter(Number.isInteger);
  for (const id of ids.sort((a, b) => b - a).slice(keep)) {
    await rm(path.join(dir, String(id)), { recursive: true, force: true });
  }
}

/** transform → check → report, the tail every workflow shares. */
export async function transformCheckReport(
  run: RunHandle,
  options: { select?: string; scope: 'all' | 'gl' | 'eia'; report: boolean; freshness?: boolean },
): Promise<void> {
  const targetPath = runTargetPath(runtime().ctx.config.dataDir, run.runId);
  const built = await taskStep(run, 'transform', (ctx) =>
    transform(ctx, { select: options.select, targetPath, freshness: options.freshness }),
  );
  const checked = await taskStep(run, 'check', (ctx) =>
    check(ctx, { runId: run.runId, targetPath, scope: options.scope }),
  );
  await pruneTargets(runtime().ctx.config.dataDir, KEEP_TARGETS);
  if (!options.report) return;
  if (built.status === 'failed' || checked.status === 'failed') {
    const reason = built.status === 'failed' ? 'the dbt build failed' : 'an error-severity check failed';
    await skipStep(run, 'report', `${reason}: no report is built on bad data`);
    return;
  }
  await taskStep(run, 'report', (ctx) => report(ctx, { asOf: ctx.config.gl.asOf }));
}

async function pipelineRun(input: RunInput): Promise<RunSummary> {
  const run = await beginRun({ command: 'run', trigger: input.trigger });
  await taskStep(run, 'ingest-eia', (ctx) => ingestEia(ctx));
  await taskStep(run, 'ingest-gl', (ctx) => ingestGl(ctx));
  await transformCheckReport(run, { scope: 'all', report: true });
  return finishRun(run);
}

export const pipelineRunWorkflow = DBOS.registerWorkflow(pipelineRun, { name: 'run' });
