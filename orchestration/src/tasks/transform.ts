/**
 * Task: `dbt build` (models and their tests) as the transformer role, then source freshness when
 * the whole project is built. The Outcome counts nodes by status and names every problem; a
 * selection that matches no node is a failure (a typo must not pass as "nothing to do").
 */
import path from 'node:path';
import { timed, type Outcome, type OutcomeStatus } from '../../../core/outcome.ts';
import { transform as runTransform, type DbtNodeResult } from '../transform/index.ts';
import type { Context } from '../context.ts';

export interface TransformTaskOptions {
  /** dbt node selection, e.g. 'source:gl+' (skips freshness unless asked). */
  select?: string;
  fullRefresh?: boolean;
  freshness?: boolean;
  docs?: boolean;
  /** dbt target directory; the check step reads run_results.json from here. */
  targetPath?: string;
}

/**
 * dbt's lineage of one source, for the per-source workflows: every model downstream of it plus
 * every parent those need (`@`), so a mart that joins GL with EIA finds its EIA inputs built even
 * on a database where only GL has been transformed so far.
 */
export const LINEAGE = {
  gl: '@source:gl',
  eia: '@source:eia',
} as const;

/** The Outcome message of a dbt that could not start (no project, no database): worth another attempt. */
export const DBT_COULD_NOT_RUN = 'dbt could not run';
/** The Outcome message of a build cut off by a lost database connection: worth another attempt too. */
export const DBT_LOST_CONNECTION = 'dbt lost its database connection';

/**
 * What PostgreSQL and psycopg2 say when the server goes away under a node (restart, failover,
 * a terminated backend) or is not back yet. Such a node failed for want of a server, not because
 * of its SQL or its data: the whole build is run again rather than reported as a model error.
 */
const LOST_CONNECTION =
  /terminating connection due to administrator command|server closed the connection unexpectedly|connection already closed|no connection to the server|could not connect to server|connection to server at .* failed|Connection refused|the database system is (shutting down|starting up|in recovery mode|not yet accepting connections)|SSL SYSCALL error/i;

export const lostConnection = (node: DbtNodeResult) =>
  node.status !== 'fail' && LOST_CONNECTION.test(node.message ?? '');

const describe = (node: DbtNodeResult) =>
  `${node.resourceType} ${node.name}: ${node.status}${node.failures ? ` (${node.failures} failing rows)` : ''}` +
  (node.message ? ` — ${node.message.split('\n')[0]}` : '');

export async function transform(ctx: Context, options: TransformTaskOptions = {}): Promise<Outcome> {
  return timed(async (): Promise<Omit<Outcome, 'durationMs'>> => {
    const targetPath = path.resolve(options.targetPath ?? path.join(ctx.config.dataDir, 'dbt', 'target'));
    const databaseUrl = await ctx.databaseUrl('transformer');
    let result;
    try {
      result = await runTransform({
        databaseUrl,
        log: ctx.log,
        select: options.select,
        fullRefresh: options.fullRefresh,
        freshness: options.freshness,
        docs: options.docs,
        targetPath,
        logPath: path.join(targetPath, 'logs'),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        status: 'failed',
        counts: {},
        message: `${DBT_COULD_NOT_RUN}: ${message}`,
        details: { targetPath },
      };
    }
    const { build, freshness } = result;
    if (options.select && build.nodes.length === 0) {
      return {
        status: 'failed',
        counts: { nodes: 0 },
        message: `dbt selection "${options.select}" matches no node`,
        details: { targetPath, select: options.select },
      };
    }
    const problems = [...build.problems, ...(freshness?.problems ?? [])].map(describe);
    const warnings = [...build.warnings, ...(freshness?.warnings ?? [])].map(describe);
    const status: OutcomeStatus = !result.ok ? 'failed' : warnings.length ? 'warn' : 'ok';
    const counts = { nodes: build.nodes.length, ...build.counts };
    const cutOff = [...build.problems, ...(freshness?.problems ?? [])].some(lostConnection);
    return {
      status,
      counts,
      message:
        (status === 'failed' && cutOff ? `${DBT_LOST_CONNECTION}: ` : '') +
        `dbt build${options.select ? ` --select ${options.select}` : ''}: ` +
        Object.entries(build.counts)
          .map(([k, v]) => `${v} ${k}`)
          .join(', ') +
        (problems.length ? `; ${problems.length} problem(s): ${problems.slice(0, 5).join('; ')}` : ''),
      details: { targetPath, select: options.select ?? null, problems, warnings },
    };
  });
}
