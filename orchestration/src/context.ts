import { loadConfig, type Config } from '../../core/config.ts';
import { createLogger, type Logger } from '../../core/logger.ts';
import { resolveDatabaseUrl, type DatabaseRole } from '../../database/src/connection.ts';

/** What every command needs: configuration, a logger, and the database URL on first use. */
export interface Context {
  config: Config;
  log: Logger;
  /**
   * The URL to log in as `role`: the owner (DATABASE_URL; migrations only) by default, or a
   * stage's own login (loader: ingestion; transformer: dbt; reporting: reports and read-only pages).
   */
  databaseUrl(role?: DatabaseRole): Promise<string>;
}

export function createContext(name: string): Context {
  const config = loadConfig();
  const log = createLogger(name, {}, 2);
  const urls = new Map<DatabaseRole, Promise<string>>();
  return {
    config,
    log,
    databaseUrl: (role = 'owner') => {
      let url = urls.get(role);
      if (!url) urls.set(role, (url = resolveDatabaseUrl(log, config, role)));
      return url;
    },
  };
}
