import { InvalidArgumentError, Option, type Command } from 'commander';
import { createPool, ROLES } from '../../../database/src/connection.ts';
import {
  EiaClient,
  ingestEia,
  replayEiaArchive,
  resolveEiaEndpoint,
} from '../../../ingestion/src/eia/index.ts';
import { parseCliDate } from '../../../ingestion/src/eia/periods.ts';
import { sleep } from '../../../ingestion/src/load/retry.ts';
import type { Context } from '../context.ts';
import { ingestCommand } from './ingest.ts';

function cliDate(name: string) {
  return (value: string): string => {
    try {
      return parseCliDate(value, name);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

const seriesList = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);

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
        const url = await ctx.databaseUrl('loader');
        const pool = createPool(url, { role: ROLES.loader, application: 'ingest-eia' });
        try {
          if (opts.fromArchive) {
            const outcome = await replayEiaArchive({ pool, log: ctx.log }, { series: opts.series });
            if (outcome.status === 'failed') process.exitCode = 1;
            return;
          }
          const endpoint = await resolveEiaEndpoint(ctx.config.eia, ctx.log);
          try {
            const client = new EiaClient({
              baseUrl: endpoint.baseUrl,
              apiKey: endpoint.apiKey,
              log: ctx.log,
            });
            const pause = opts.pauseBeforeCommit;
            const outcome = await ingestEia(
              { pool, client, log: ctx.log },
              {
                series: opts.series,
                from: opts.from,
                to: opts.to,
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
              },
            );
            if (outcome.status === 'failed') process.exitCode = 1;
          } finally {
            await endpoint.close();
          }
        } finally {
          await pool.end();
        }
      },
    );
}
