import type { Command } from 'commander';
import { describeUrl } from '../../../database/src/connection.ts';
import type { Context } from '../context.ts';
import { transform } from '../tasks/transform.ts';
import { DEFAULT_TARGET_PATH } from '../transform/dbt.ts';
import { exitFor } from './options.ts';

export function register(program: Command, ctx: Context): void {
  program
    .command('transform')
    .description('dbt build: staging -> intermediate -> marts with all tests, then source freshness')
    .option(
      '--select <selector>',
      'dbt node selection, e.g. marts or fct_gl_lines+ (skips freshness); matching no node is an error',
    )
    .option('--full-refresh', 'rebuild incremental models from scratch')
    .option(
      '--docs',
      'also generate the dbt docs site (dbt/target/index.html) and check every model and column is described',
    )
    .option('--no-freshness', 'skip dbt source freshness')
    .option('--target-path <dir>', 'dbt target directory (default dbt/target)')
    .action(
      async (opts: {
        select?: string;
        fullRefresh?: boolean;
        docs?: boolean;
        freshness?: boolean;
        targetPath?: string;
      }) => {
        const databaseUrl = await ctx.databaseUrl('transformer');
        ctx.log.info({ database: describeUrl(databaseUrl), select: opts.select ?? 'all' }, 'transforming');
        const outcome = await transform(ctx, {
          select: opts.select,
          fullRefresh: opts.fullRefresh,
          docs: opts.docs,
          freshness: opts.freshness === false ? false : undefined,
          targetPath: opts.targetPath ?? DEFAULT_TARGET_PATH,
        });
        (outcome.status === 'failed' ? ctx.log.error : ctx.log.info).call(
          ctx.log,
          { ...outcome.counts, durationMs: outcome.durationMs },
          outcome.message,
        );
        exitFor(outcome.status);
      },
    );
}
