import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { addDays, isIsoDate } from '../../../core/dates.ts';
import { createPool, ROLES } from '../../../database/src/connection.ts';
import { ingestGl, type GlMode } from '../../../ingestion/src/gl/index.ts';
import { createProgressLine } from '../../../ingestion/src/gl/progress.ts';
import type { Context } from '../context.ts';
import { ingestCommand } from './ingest.ts';

function date(value: string): string {
  if (!isIsoDate(value)) throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  return value;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function register(program: Command, ctx: Context): void {
  ingestCommand(program)
    .command('gl')
    .description(
      'GL service → raw.gl_*: reference data, then GL lines from the watermark to the day before ' +
        'GL_AS_OF (first run: the 365-day history), or --from/--to, or --follow the live stream',
    )
    .option('--from <date>', 'first posting date to load (YYYY-MM-DD)', date)
    .option('--to <date>', 'last posting date to load (YYYY-MM-DD; default: the day before GL_AS_OF)', date)
    .option('--follow', 'follow the live stream (GET /get-gl) until interrupted')
    .option('--batch-size <lines>', 'GL lines per transaction when backfilling', positiveInt, 50_000)
    .option('--stop-after <events>', 'with --follow: stop after this many stream events', positiveInt)
    .option('--no-reference', 'skip wells, owners, accounts and AFEs')
    .action(
      async (opts: {
        from?: string;
        to?: string;
        follow?: boolean;
        batchSize: number;
        stopAfter?: number;
        reference: boolean;
      }) => {
        if (opts.follow && (opts.from || opts.to))
          throw new InvalidArgumentError('--follow cannot be combined with --from/--to');
        let mode: GlMode;
        if (opts.follow) mode = { kind: 'follow', stopAfterEvents: opts.stopAfter };
        else if (opts.from || opts.to) {
          const to = opts.to ?? addDays(ctx.config.gl.asOf, -1);
          const from = opts.from ?? to;
          if (from > to) throw new InvalidArgumentError(`--from ${from} is after --to ${to}`);
          mode = { kind: 'range', from, to };
        } else mode = { kind: 'incremental' };

        const controller = new AbortController();
        const stop = (signal: NodeJS.Signals) => {
          ctx.log.info({ signal }, 'stopping GL ingestion after the current batch');
          controller.abort(new Error(`interrupted by ${signal}`));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        const progress = createProgressLine('GL backfill');
        const pool = createPool(await ctx.databaseUrl('loader'), {
          role: ROLES.loader,
          max: 4,
          application: 'gl-ingestion',
        });
        try {
          const outcome = await ingestGl(
            { pool, log: ctx.log, signal: controller.signal },
            {
              gl: ctx.config.gl,
              mode,
              reference: opts.reference,
              batchLines: opts.batchSize,
              onProgress: progress.update,
              follow: {
                alertAfterMs: ctx.config.ingestion.followAlertAfterS * 1000,
                retry: { maxDelayMs: ctx.config.ingestion.followMaxDelayS * 1000 },
              },
            },
          );
          progress.done();
          const { range, batches, reference, lines } = outcome.details;
          ctx.log[outcome.status === 'failed' ? 'error' : 'info'](
            {
              mode: mode.kind,
              status: outcome.status,
              range: range ?? null,
              batches,
              reference: reference ?? null,
              lines,
            },
            outcome.message,
          );
          if (outcome.status === 'failed') process.exitCode = 1;
        } finally {
          progress.done();
          await pool.end();
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      },
    );
}
