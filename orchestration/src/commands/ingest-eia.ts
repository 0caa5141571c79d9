import { InvalidArgumentError, Option, type Command } from 'commander';
import { EIA_CATALOG, getSeries } from '../../../ingestion/src/eia/index.ts';
import { parseCliDate } from '../../../ingestion/src/eia/periods.ts';
import { sleep } from '../../../ingestion/src/load/retry.ts';
import type { Context } from '../context.ts';
import { ingestEia } from '../tasks/ingest-eia.ts';
import { ingestCommand } from './ingest.ts';
import { exitFor, ordered } from './options.ts';

function cliDate(name: string) {
  return (value: string): string => {
    try {
      return parseCliDate(value, name);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

/** Comma-separated catalog ids; an unknown id is an error that lists the known ones. */
function seriesList(value: string): string[] {
  const ids = value
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  if (!ids.length) throw new InvalidArgumentError('expected at least one series id');
  const unknown = ids.filter((id) => !getSeries(id));
  if (unknown.length) {
    throw new InvalidArgumentError(
      `unknown EIA series ${unknown.join(', ')} (the catalog has ${EIA_CATALOG.map((s) => s.id).join(', ')})`,
    );
  }
  return ids;
}

/** `SERIES:MS` → hold that series' transaction open MS ms before COMMIT (crash tests). */
function pauseSpec(value: string): { series: string; ms: number } {
  const [series, ms] = value.split(':');
  if (!series || !/^\d+$/.test(ms ?? '')) throw new InvalidArgumentError('expected SERIES:MILLISECONDS');
  return { series: series.toUpperCase(), ms: Number(ms) };
}

export function register(program: Command, ctx: Context): void {
  ingestCommand(program)
    .command('eia')
    .description(
      'EIA API v2 → raw.eia_*: every catalog series (ingestion/src/eia/catalog.ts) from its watermark minus the ' +
        'look-back window (first run: its default start), or exactly --from/--to',
    )
    .option(
      '--from <date>',
      'first period to load (YYYY-MM-DD, YYYY-MM or YYYY): a backfill',
      cliDate('--from'),
    )
    .option('--to <date>', 'last period to load (default: the latest EIA has)', cliDate('--to'))
    .option(
      '--series <ids>',
      'comma-separated series ids, e.g. RWTC,MCRFPTX1 (default: the whole catalog)',
      seriesList,
    )
    .option('--from-archive', 'replay the archived responses (raw.eia_responses) instead of calling EIA')
    .addOption(new Option('--pause-before-commit <series:ms>', 'test hook').argParser(pauseSpec).hideHelp())
    .action(
      async (opts: {
        from?: string;
        to?: string;
        series?: string[];
        fromArchive?: boolean;
        pauseBeforeCommit?: { series: string; ms: number };
      }) => {
        ordered(opts.from, opts.to);
        if (opts.fromArchive && (opts.from || opts.to))
          throw new InvalidArgumentError(
            '--from-archive replays everything archived: it takes no --from/--to',
          );
        const pause = opts.pauseBeforeCommit;
        const outcome = await ingestEia(ctx, {
          from: opts.from,
          to: opts.to,
          series: opts.series,
          fromArchive: opts.fromArchive,
          beforeCommit: pause
            ? async (series, batchId) => {
                if (series.id !== pause.series) return;
                ctx.log.warn(
                  { series: series.id, batchId },
                  `holding ${series.id} before commit for ${pause.ms} ms`,
                );
                await sleep(pause.ms);
              }
            : undefined,
        });
        (outcome.status === 'failed' ? ctx.log.error : ctx.log.info).call(
          ctx.log,
          outcome.counts,
          outcome.message,
        );
        exitFor(outcome.status);
      },
    );
}
