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
 * - one process at a time holds an executor id (a session advisory lock per id): two processes with
 *   the same executor id would both recover the same workflow and run its steps twice. The
 *   pipeline's own commands share one id; each `serve --worker` has an id of its own. After a
 *   database restart the lock is taken again (./executor-lock.ts); if another process got it
 *   first, this one exits at once (ExecutorLockLostError) rather than run on beside it;
 * - every process launched on the same system database dequeues from every queue (no
 *   `listenQueues` filter), and a queue's `globalConcurrency` holds across all of them: more
 *   processes add takers, never a second dbt build at once.
 */
import { DBOS } from '@dbos-inc/dbos-sdk';
import pg from 'pg';
import type { Logger } from '../../../core/logger.ts';
import { createPool, describeUrl, ROLES } from '../../../database/src/connection.ts';
import type { Context } from '../context.ts';
import { takeExecutorLock, type ExecutorLock } from './executor-lock.ts';

export const APPLICATION_NAME = 'energy-pipeline';
/** Bump when a workflow's steps change order or meaning: runs of the old version are then not replayed. */
export const APPLICATION_VERSION = 'pipeline-workflows-2';
export const EXECUTOR_ID = 'energy-pipeline';
/** The executor id of a `serve --worker` process. */
export const workerExecutorId = (workerId: string) => `${EXECUTOR_ID}-worker:${workerId}`;
export const DBOS_SCHEMA = 'dbos';
/** Every workflow that runs dbt goes through this queue: dbt never runs twice at once. */
export const PIPELINE_QUEUE = 'pipeline';
/**
 * The months of a backfill, one at a time across every process: GL lines load under one ingest
 * lock and the watermark only moves forward in order, so months never overlap.
 */
export const BACKFILL_QUEUE = 'backfill';

interface Runtime {
  ctx: Context;
  /** Writes ops.pipeline_runs / pipeline_steps (loader role: ops is its schema). */
  records: pg.Pool;
  /** DBOS's own pool: ours, so idle-in-transaction is bounded by the connection options. */
  system: pg.Pool;
  lock: ExecutorLock;
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

/** The advisory lock key of an executor id; the pipeline's own id keeps the key it always had. */
export const executorLockKey = (executorId: string) =>
  executorId === EXECUTOR_ID ? 'energy-pipeline:executor' : `energy-pipeline:executor:${executorId}`;

function busyMessage(executorId: string): string {
  if (executorId !== EXECUTOR_ID)
    return `another process runs as executor ${executorId}: give each worker its own --worker-id`;
  return (
    'another pipeline process (`pipeline serve`, `run`, `backfill` or `retry`) is running against this database: ' +
    'wait for it or stop it (`pipeline status` shows what it is doing)'
  );
}

/**
 * Launches DBOS in this process: registered workflows become runnable, the pending ones of this
 * executor id recover. `executorId` is the pipeline's own unless this is a worker.
 */
export async function launchPipeline(ctx: Context, executorId: string = EXECUTOR_ID): Promise<void> {
  if (current) return;
  const databaseUrl = await ctx.databaseUrl();
  const lock = await takeExecutorLock(databaseUrl, {
    key: executorLockKey(executorId),
    busyMessage: busyMessage(executorId),
    log: ctx.log,
    onLost: (error) => {
      // DBOS cannot be stopped between two steps from here, and another process now holds this
      // executor id: exiting at once is what keeps its workflows' steps from running twice
      ctx.log.fatal({ err: error, executor: executorId }, `${error.name}: ${error.message}`);
      process.exit(1);
    },
  });
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
    executorID: executorId,
    logger: dbosLogger(ctx.log),
    systemDatabasePool: system,
  });
  try {
    await DBOS.launch();
    await DBOS.registerQueue(PIPELINE_QUEUE, { globalConcurrency: 1, onConflict: 'always_update' });
    await DBOS.registerQueue(BACKFILL_QUEUE, { globalConcurrency: 1, onConflict: 'always_update' });
  } catch (error) {
    await shutdownPipeline();
    throw error;
  }
  ctx.log.debug(
    { database: describeUrl(databaseUrl), executor: executorId, version: APPLICATION_VERSION },
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
  await state.lock.release();
}
