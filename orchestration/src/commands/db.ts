import type { Command } from 'commander';
import { stopEmbeddedPostgres } from '../../../database/src/embedded.ts';
import { describeUrl } from '../../../database/src/connection.ts';
import type { Context } from '../context.ts';

export function register(program: Command, ctx: Context): void {
  const db = program.command('db').description('the database: where it is, and the embedded server');
  db.command('url')
    .description('print the database URL (starting the embedded server when DATABASE_URL is unset)')
    .action(async () => {
      console.log(describeUrl(await ctx.databaseUrl()));
    });
  db.command('stop')
    .description('stop the embedded PostgreSQL (no-op with DATABASE_URL)')
    .action(async () => {
      if (ctx.config.databaseUrl) return ctx.log.info('DATABASE_URL is set: nothing embedded to stop');
      const stopped = await stopEmbeddedPostgres(ctx.config.dataDir, ctx.log);
      if (!stopped) ctx.log.info('embedded PostgreSQL was not running');
    });
}
