import os from 'node:os';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { TimeMatcher } from '@dbos-inc/dbos-sdk/internal/scheduler/crontab';
import { InvalidArgumentError, type Command } from 'commander';
import { createPool, ROLES } from '../../../database/src/connection.ts';
import type { Context } from '../context.ts';
import { startFollower } from '../serve/follower.ts';
import type { ScheduleInfo } from '../status/collect.ts';
import { startStatusServer } from '../status/server.ts';
import {
  launchPipeline,
  PIPELINE_QUEUE,
  runScheduledSlots,
  shutdownPipeline,
  startSchedules,
  stopSchedules,
  workerExecutorId,
} from '../workflows/index.ts';
import { runTargetPath } from '../workflows/pipeline-run.ts';

export function register(program: Command, ctx: Context): void {
  program
    .command('serve')
    .description(
      'run continuously: the GL stream follower, the schedules (GL transform every GL_TRANSFORM_EVERY, EIA daily at ' +
        'PIPELINE_EIA_CRON) and the status page on 127.0.0.1:PIPELINE_STATUS_PORT, until SIGINT/SIGTERM',
    )
    .option('--no-follow', 'do not follow the GL stream (schedules and status page only)')
    .option(
      '--worker',
      'only take queued work (backfill months, scheduled and retried runs) from the same database, as another executor: ' +
        'no follower, no schedules, no status page; run it on as many processes or machines as you like',
    )
    .option(
      '--worker-id <id>',
      'with --worker: this executor id suffix, unique per worker (default: the host name)',
    )
    .action(async (opts: { follow: boolean; worker?: boolean; workerId?: string }) => {
      if (opts.workerId !== undefined && !opts.worker)
        throw new InvalidArgumentError('--worker-id needs --worker');
      if (opts.worker) return work(ctx, opts.workerId ?? os.hostname());
      await launchPipeline(ctx);
      const specs = await startSchedules();
      const follower = opts.follow ? startFollower(ctx) : undefined;
      const reporting = createPool(await ctx.databaseUrl('reporting'), {
        role: ROLES.reporting,
        max: 3,
        application: 'pipeline-status',
      });
      const schedules = async (): Promise<ScheduleInfo[]> => {
        const stored = await DBOS.listSchedules();
        return specs.map((spec) => {
          const row = stored.find((s) => s.scheduleName === spec.name);
          return {
            name: spec.name,
            cron: spec.cron,
            status: row?.status ?? 'missing',
            lastFiredAt: row?.lastFiredAt ?? null,
            nextFireAt: new TimeMatcher(spec.cron, 'UTC').nextWakeupTime(Date.now()).toISOString(),
          };
        });
      };
      const queue = async () => ({
        name: PIPELINE_QUEUE,
        depth: (await DBOS.listQueuedWorkflows({ queueName: PIPELINE_QUEUE })).length,
      });
      const port = ctx.config.pipeline.statusPort;
      const server = await startStatusServer({
        db: reporting,
        port,
        live: { schedules, queue, follower: follower && (() => follower.state()) },
        targetPathOf: (runId) => runTargetPath(ctx.config.dataDir, runId),
      });
      ctx.log.info(
        { url: `http://127.0.0.1:${port}/`, schedules: specs },
        `serving: status page at http://127.0.0.1:${port}/ (Ctrl-C stops)`,
      );
      await stopped();
      ctx.log.info(
        'stopping: the follower commits its current batch, running steps finish or resume on the next start',
      );
      stopSchedules();
      await server.close();
      await follower?.stop();
      await reporting.end();
      await shutdownPipeline();
    });
}

const stopped = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

/** `serve --worker`: DBOS with an executor id of its own, dequeuing until SIGINT/SIGTERM. */
async function work(ctx: Context, workerId: string): Promise<void> {
  if (!/^[\w.-]{1,64}$/.test(workerId))
    throw new InvalidArgumentError(
      `--worker-id must be 1-64 letters, digits, '.', '_' or '-', got "${workerId}"`,
    );
  const executor = workerExecutorId(workerId);
  await launchPipeline(ctx, executor);
  runScheduledSlots();
  ctx.log.info({ executor }, `worker ${executor}: taking queued work (Ctrl-C stops)`);
  await stopped();
  ctx.log.info({ executor }, 'stopping: a running workflow resumes when this worker id starts again');
  stopSchedules();
  await shutdownPipeline();
}
