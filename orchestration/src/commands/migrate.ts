import type { Command } from 'commander';
import { describeUrl } from '../../../database/src/connection.ts';
import { configuredStageLogins } from '../../../database/src/logins.ts';
import { migrate } from '../../../database/src/migrate.ts';
import type { Context } from '../context.ts';

export function register(program: Command, ctx: Context): void {
  program
    .command('migrate')
    .description('apply pending database migrations (idempotent)')
    .action(async () => {
      const url = await ctx.databaseUrl();
      ctx.log.info({ database: describeUrl(url) }, 'migrating');
      const logins = await configuredStageLogins(ctx.config);
      if (!logins) {
        ctx.log.warn(
          'no stage logins configured (LOADER/TRANSFORMER/REPORTING_DATABASE_URL): every stage will run as the DATABASE_URL login',
        );
      }
      await migrate(url, ctx.log, { logins });
    });
}
