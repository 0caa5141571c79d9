/**
 * `transform`: dbt build (models, snapshots of tests, unit tests), then source freshness, and
 * optionally the documentation site, with one logged summary per step.
 */
import path from 'node:path';
import type { Logger } from '../../../core/logger.ts';
import { checkDocs, formatDocsProblems, type DocsProblem } from './docs-check.ts';
import { readFreshness, readRunResults, runDbt, type DbtRunSummary } from './dbt.ts';

export { dbtConnectionEnv, runDbt, readRunResults, summarizeRunResults, DBT_PROJECT_DIR } from './dbt.ts';
export type { DbtRunSummary, DbtNodeResult } from './dbt.ts';

export interface TransformOptions {
  databaseUrl: string;
  log: Logger;
  /** dbt node selection (--select), e.g. 'marts' or 'fct_gl_lines+'. */
  select?: string;
  fullRefresh?: boolean;
  /** Run `dbt source freshness` after the build (default true; skipped with a selection). */
  freshness?: boolean;
  /** Also run `dbt docs generate` and check every model and column is described. */
  docs?: boolean;
  targetPath?: string;
  logPath?: string;
  threads?: number;
}

export interface TransformResult {
  ok: boolean;
  build: DbtRunSummary;
  freshness?: DbtRunSummary;
  docsProblems?: DocsProblem[];
  targetPath: string;
}

function logSummary(log: Logger, step: string, summary: DbtRunSummary): void {
  log.info(
    { step, elapsed_s: Number(summary.elapsedTime.toFixed(1)), ...summary.counts },
    `dbt ${step} finished`,
  );
  for (const node of summary.problems) {
    log.error(
      { node: node.uniqueId, status: node.status, failures: node.failures },
      node.message ?? node.status,
    );
  }
  for (const node of summary.warnings) {
    log.warn({ node: node.uniqueId, failures: node.failures }, node.message ?? 'warning');
  }
}

/** Extracts the first error lines of a dbt run that wrote no run_results.json (bad project, no connection). */
function failureExcerpt(output: string): string {
  const lines = output.split('\n').filter((l) => /error|fail|could not|denied/i.test(l));
  return (lines.length ? lines : output.split('\n')).slice(-15).join('\n');
}

export async function transform(options: TransformOptions): Promise<TransformResult> {
  const { log } = options;
  const common = {
    databaseUrl: options.databaseUrl,
    targetPath: options.targetPath,
    logPath: options.logPath,
    threads: options.threads,
    log,
  };
  const buildArgs = ['build'];
  if (options.select) buildArgs.push('--select', options.select);
  if (options.fullRefresh) buildArgs.push('--full-refresh');
  const build = await runDbt({ ...common, args: buildArgs });
  let buildSummary: DbtRunSummary;
  try {
    buildSummary = await readRunResults(build.targetPath);
  } catch {
    throw new Error(`dbt build failed before running any node:\n${failureExcerpt(build.output)}`);
  }
  logSummary(log, 'build', buildSummary);
  let ok = build.exitCode === 0 && buildSummary.problems.length === 0;
  const result: TransformResult = { ok, build: buildSummary, targetPath: build.targetPath };

  if (options.freshness ?? !options.select) {
    const freshness = await runDbt({ ...common, args: ['source', 'freshness'] });
    try {
      result.freshness = await readFreshness(freshness.targetPath);
      logSummary(log, 'source freshness', result.freshness);
      if (result.freshness.problems.length) ok = false;
    } catch {
      log.error({ output: failureExcerpt(freshness.output) }, 'dbt source freshness failed');
      ok = false;
    }
  }

  if (options.docs) {
    const docs = await runDbt({ ...common, args: ['docs', 'generate', '--static'] });
    if (docs.exitCode !== 0) {
      log.error({ output: failureExcerpt(docs.output) }, 'dbt docs generate failed');
      ok = false;
    } else {
      result.docsProblems = await checkDocs(docs.targetPath, { requireCatalog: true });
      if (result.docsProblems.length) {
        log.error(
          { problems: result.docsProblems.length },
          `undocumented:\n${formatDocsProblems(result.docsProblems)}`,
        );
        ok = false;
      } else {
        const site = path.join(docs.targetPath, 'static_index.html');
        log.info({ site }, `dbt docs: every model and column described; site ${site}`);
      }
    }
  }
  result.ok = ok;
  return result;
}
