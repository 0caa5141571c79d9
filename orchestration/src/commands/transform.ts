import type { Command } from 'commander';
import { describeUrl } from '../../../database/src/connection.ts';
import type { Context } from '../context.ts';
import { transform } from '../transform/index.ts';

export function register(program: Command, ctx: Context): void {
  program
    .command('transform')
    .description('dbt build: staging -> intermediate -> marts with all tests, then source freshness')
    .option('--select <selector>', 'dbt node selection, e.g. marts or fct_gl_lines+ (skips freshness)')
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
        const result = await transform({
          databaseUrl,
          log: ctx.log,
          select: opts.select,
          fullRefresh: opts.fullRefresh,
          docs: opts.docs,
          freshness: opts.freshness === false ? false : undefined,
          targetPath: opts.targetPath,
        });
        if (!result.ok) {
          process.exitCode = 1;
          ctx.log.error('transform failed (see the errors above)');
        }
      },
    );
}
