import type { Command } from 'commander';
import { describeUrl } from '../../../database/src/connection.ts';
import { migrate } from '../../../database/src/migrate.ts';
import type { Context } from '../context.ts';

export function register(program: Command, ctx: Context): void {
  program
    .command('migrate')
    .description('apply pending database migrations (idempotent)')
    .action(async () => {
      const url = await ctx.databaseUrl();
      ctx.log.info({ database: describeUrl(url) }, 'migrating');
      await migrate(url, ctx.log);
    });
}
