import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { addDays } from '../../../core/dates.ts';
import { createProgressLine } from '../../../ingestion/src/gl/progress.ts';
import type { Context } from '../context.ts';
import { ingestGl, type GlMode } from '../tasks/ingest-gl.ts';
import { ingestCommand } from './ingest.ts';
import { exitFor, isoDate, ordered, positiveInt } from './options.ts';

export function register(program: Command, ctx: Context): void {
  ingestCommand(program)
    .command('gl')
    .description(
      'GL service → raw.gl_*: reference data, then GL lines from the watermark to the day before ' +
        'GL_AS_OF (first run: the 365-day history), or --from/--to, or --follow the live stream',
    )
    .option('--from <date>', 'first posting date to load (YYYY-MM-DD)', isoDate('--from'))
    .option(
      '--to <date>',
      'last posting date to load (YYYY-MM-DD; default: the day before GL_AS_OF)',
      isoDate('--to'),
    )
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
        if (opts.stopAfter && !opts.follow) throw new InvalidArgumentError('--stop-after needs --follow');
        let mode: GlMode;
        if (opts.follow) mode = { kind: 'follow', stopAfterEvents: opts.stopAfter };
        else if (opts.from || opts.to) {
          const to = opts.to ?? addDays(ctx.config.gl.asOf, -1);
          const from = opts.from ?? to;
          ordered(from, to);
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
        try {
          const outcome = await ingestGl(ctx, {
            mode,
            reference: opts.reference,
            batchLines: opts.batchSize,
            signal: controller.signal,
            onProgress: progress.update,
          });
          progress.done();
          (outcome.status === 'failed' ? ctx.log.error : ctx.log.info).call(
            ctx.log,
            { mode: mode.kind, ...outcome.counts, details: outcome.details },
            outcome.message,
          );
          exitFor(outcome.status);
        } finally {
          progress.done();
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      },
    );
}
