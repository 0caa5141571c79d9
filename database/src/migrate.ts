import path from 'node:path';
import { runner } from 'node-pg-migrate';
import { PROJECT_ROOT } from '../../core/config.ts';
import type { Logger } from '../../core/logger.ts';
import { provisionStageLogins, type StageLogins } from './logins.ts';

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'database', 'migrations');

/**
 * Applies pending migrations (idempotent: a second run applies nothing), then creates or updates
 * the stage logins when given (database/src/logins.ts). Returns the names of the migrations applied.
 */
export async function migrate(
  databaseUrl: string,
  log: Logger,
  options: { logins?: StageLogins } = {},
): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'schema_migrations',
    migrationsSchema: 'public',
    checkOrder: true,
    verbose: false,
    logger: {
      debug: (msg: string) => log.debug(msg),
      info: (msg: string) => log.debug(msg),
      warn: (msg: string) => log.warn(msg),
      error: (msg: string) => log.error(msg),
    },
  });
  if (options.logins) await provisionStageLogins(databaseUrl, options.logins, log);
  const names = applied.map((m) => m.name);
  log.info(
    { applied: names },
    names.length ? `applied ${names.length} migration(s)` : 'schema is up to date',
  );
  return names;
}
