/**
 * The one start-up module of the DBOS runtime: configuration, launch, shutdown, and what steps need
 * at run time (the command's Context and a pool for the run records).
 *
 * Facts this relies on (checked against @dbos-inc/dbos-sdk 5.3.0):
 * - DBOS keeps its tables in the `dbos` schema of the project's own database (the system database
 *   URL is the project's URL), so one backup holds data and workflow state together;
 * - after a kill -9, launch() re-runs the pending workflows of the same executor id *and* the same
 *   application version, so both are pinned here; without the pin a code change would silently
 *   leave the interrupted run unrecovered;
 * - one process at a time is the pipeline's executor (a session advisory lock): two processes with
 *   the same executor id would both recover the same workflow and run its steps twice.
 */
import { DBOS } from '@dbos-inc/dbos-sdk';
import pg from 'pg';
import type { Logger } from '../../../core/logger.ts';
import { createPool, describeUrl, ROLES } from '../../../database/src/connection.ts';
import type { Context } from '../context.ts';

export const APPLICATION_NAME = 'energy-pipeline';
/** Bump when a workflow's steps change order or meaning: runs of the old version are then not replayed. */
export const APPLICATION_VERSION = 'pipeline-workflows-1';
export const EXECUTOR_ID = 'energy-pipeline';
export const DBOS_SCHEMA = 'dbos';
/** Every workflow that runs dbt goes through this queue: dbt never runs twice at once. */
export const PIPELINE_QUEUE = 'pipeline';

interface Runtime {
  ctx: Context;
  /** Writes ops.pipeline_runs / pipeline_steps (loader role: ops is its schema). */
  records: pg.Pool;
  /** DBOS's own pool: ours, so idle-in-transaction is bounded by the connection options. */
  system: pg.Pool;
  lock: pg.Client;
  databaseUrl: string;
}

let current: Runtime | undefined;

export function runtime(): Runtime {
  if (!current) throw new Error('the pipeline runtime is not launched (launchPipeline first)');
  return current;
}

function dbosLogger(log: Logger) {
  const child = log.child({ component: 'dbos' });
  const text = (entry: unknown) =>
    entry instanceof Error ? entry.message : typeof entry === 'string' ? entry : JSON.stringify(entry);
  return {
    // DBOS's own start-up chatter is debug for us; warnings and errors stay what they are.
    info: (entry: unknown) => child.debug(text(entry)),
    debug: (entry: unknown) => child.trace(text(entry)),
    warn: (entry: unknown) => child.warn(text(entry)),
    error: (entry: unknown) => child.error({ err: entry }, text(entry)),
  };
}

async function takeExecutorLock(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'pipeline-executor' });
  client.on('error', () => undefined);
  await client.connect();
  const { rows } = await client.query<{ locked: boolean }>(
    `SELECT pg_try_advisory_lock(hashtextextended('energy-pipeline:executor', 0)) AS locked`,
  );
  if (!rows[0]!.locked) {
    await client.end();
    throw new Error(
      'another pipeline process (`pipeline serve`, `run`, `backfill` or `retry`) is running against this database: ' +
        'wait for it or stop it (`pipeline status` shows what it is doing)',
    );
  }
  return client;
}

/** Launches DBOS in this process: registered workflows become runnable, pending ones recover. */
export async function launchPipeline(ctx: Context): Promise<void> {
  if (current) return;
  const databaseUrl = await ctx.databaseUrl();
  const lock = await takeExecutorLock(databaseUrl);
  const records = createPool(await ctx.databaseUrl('loader'), {
    role: ROLES.loader,
    max: 2,
    application: 'pipeline-records',
  });
  // DBOS would set idle_in_transaction_session_timeout with a query per new connection (which
  // pg 8 warns about on every command); the startup options set it without a query.
  const system = new pg.Pool({
    connectionString: databaseUrl,
    max: 6,
    application_name: 'pipeline-dbos',
    options: '-c idle_in_transaction_session_timeout=60000 -c TimeZone=UTC',
  });
  system.on('error', (error) => ctx.log.warn({ err: error }, 'DBOS system database connection lost'));
  current = { ctx, records, system, lock, databaseUrl };
  DBOS.setConfig({
    name: APPLICATION_NAME,
    systemDatabaseUrl: databaseUrl,
    systemDatabaseSchemaName: DBOS_SCHEMA,
    applicationVersion: APPLICATION_VERSION,
    executorID: EXECUTOR_ID,
    logger: dbosLogger(ctx.log),
    systemDatabasePool: system,
  });
  try {
    await DBOS.launch();
    await DBOS.registerQueue(PIPELINE_QUEUE, { globalConcurrency: 1, onConflict: 'always_update' });
  } catch (error) {
    await shutdownPipeline();
    throw error;
  }
  ctx.log.debug(
    { database: describeUrl(databaseUrl), executor: EXECUTOR_ID, version: APPLICATION_VERSION },
    'DBOS launched',
  );
}

export async function shutdownPipeline(): Promise<void> {
  const state = current;
  current = undefined;
  if (DBOS.isInitialized()) await DBOS.shutdown().catch(() => undefined);
  if (!state) return;
  await state.records.end().catch(() => undefined);
  await state.system.end().catch(() => undefined);
  await state.lock.end().catch(() => undefined);
}
