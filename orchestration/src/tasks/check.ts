/**
 * Task: every data-quality check, stored in ops.dq_results with its severity and the run id:
 * dbt's test results (run_results.json of the build this run made, or a fresh `dbt test`), plus
 * the pipeline's own integrity, reconciliation, freshness and volume checks. The Outcome fails
 * when an error-severity check fails, which blocks the steps after it (reports); warnings pass.
 */
import path from 'node:path';
import { timed, type Outcome } from '../../../core/outcome.ts';
import { createPool, ROLES } from '../../../database/src/connection.ts';
import { readDbtResults } from '../checks/dbt-results.ts';
import { eiaFreshness, glFreshness } from '../checks/freshness.ts';
import { journalsBalance, rawToMarts, serviceToRaw } from '../checks/integrity.ts';
import { isBlocking, type CheckResult } from '../checks/result.ts';
import { storeResults } from '../checks/store.ts';
import { quarantineGrowth, rowCountAnomalies } from '../checks/volume.ts';
import { abandonedBatches } from '../checks/batches.ts';
import { runDbt } from '../transform/dbt.ts';
import type { Context } from '../context.ts';
import { LINEAGE } from './transform.ts';

export type CheckScope = 'all' | 'gl' | 'eia';

export interface CheckOptions {
  /** ops.pipeline_runs.run_id the results belong to. */
  runId?: number;
  /** Where the transform step left run_results.json (default: the data dir's dbt target). */
  targetPath?: string;
  /** Run `dbt test` first instead of reading the last build's results. */
  runDbtTests?: boolean;
  scope?: CheckScope;
}

export async function check(ctx: Context, options: CheckOptions = {}): Promise<Outcome> {
  return timed(async () => {
    const scope = options.scope ?? 'all';
    const targetPath = path.resolve(options.targetPath ?? path.join(ctx.config.dataDir, 'dbt', 'target'));
    const transformerUrl = await ctx.databaseUrl('transformer');
    const loaderUrl = await ctx.databaseUrl('loader');
    const results: CheckResult[] = [];
    const problems: string[] = [];

    if (options.runDbtTests) {
      const args = ['test', ...(scope === 'all' ? [] : ['--select', LINEAGE[scope]])];
      const run = await runDbt({
        databaseUrl: transformerUrl,
        args,
        targetPath,
        logPath: path.join(targetPath, 'logs'),
        log: ctx.log,
      });
      if (run.exitCode !== 0) ctx.log.warn({ exitCode: run.exitCode }, 'dbt test reported failures');
    }
    let skippedTests = 0;
    try {
      const dbt = await readDbtResults(targetPath);
      results.push(...dbt.results);
      skippedTests = dbt.skippedTests;
      if (skippedTests) problems.push(`${skippedTests} dbt test(s) not run: a model upstream of them failed`);
    } catch {
      problems.push(`no dbt results in ${targetPath} (transform did not run)`);
    }

    const reader = createPool(transformerUrl, {
      role: ROLES.transformer,
      max: 2,
      application: 'pipeline-check',
    });
    const writer = createPool(loaderUrl, { role: ROLES.loader, max: 1, application: 'pipeline-check' });
    try {
      const glMinutes = Math.max(15, (3 * ctx.config.pipeline.glTransformEverySeconds) / 60);
      const own: Array<[string, () => Promise<CheckResult | CheckResult[] | undefined>]> = [];
      if (scope !== 'eia') {
        own.push(
          ['journals_balance', () => journalsBalance(reader)],
          ['service_to_raw', () => serviceToRaw(reader)],
          ['raw_to_marts', () => rawToMarts(reader)],
          ['gl_freshness', () => glFreshness(reader, { glMinutes })],
        );
      }
      if (scope !== 'gl') own.push(['eia_freshness', () => eiaFreshness(reader)]);
      own.push(
        ['row_counts', () => rowCountAnomalies(reader)],
        ['quarantine', () => quarantineGrowth(reader)],
        ['abandoned_batches', () => abandonedBatches(reader)],
      );
      for (const [name, run] of own) {
        try {
          const result = await run();
          if (result) results.push(...(Array.isArray(result) ? result : [result]));
        } catch (error) {
          // A check that cannot run is itself a failed check: silence would read as "passed".
          const message = error instanceof Error ? error.message : String(error);
          results.push({
            name: `check-error:${name}`,
            severity: 'error',
            status: 'fail',
            details: { message },
          });
        }
      }
      await storeResults(writer, options.runId, results);
    } finally {
      await Promise.all([reader.end(), writer.end()]);
    }

    const blocking = results.filter(isBlocking);
    const warned = results.filter((r) => r.status === 'fail' && r.severity === 'warn');
    const counts = {
      checks: results.length,
      passed: results.filter((r) => r.status === 'pass').length,
      errors: blocking.length,
      warnings: warned.length,
      skippedTests,
    };
    for (const r of blocking)
      ctx.log.error({ check: r.name, observed: r.observed }, String(r.details.message ?? r.name));
    for (const r of warned)
      ctx.log.warn({ check: r.name, observed: r.observed }, String(r.details.message ?? r.name));
    const status = blocking.length ? 'failed' : warned.length || problems.length ? 'warn' : 'ok';
    return {
      status,
      counts,
      message:
        `checks: ${counts.passed} passed, ${counts.errors} failed (error), ${counts.warnings} warned` +
        (blocking.length
          ? ` — blocking: ${blocking
              .slice(0, 5)
              .map((r) => r.name)
              .join(', ')}`
          : '') +
        (problems.length ? `; ${problems.join('; ')}` : ''),
      details: {
        blocking: blocking.map((r) => ({ name: r.name, message: r.details.message ?? null })),
        warnings: warned.map((r) => r.name),
        problems,
      },
    };
  });
}
