import { loadConfig, type Config } from '../../core/config.ts';
import { createLogger, type Logger } from '../../core/logger.ts';
import { resolveDatabaseUrl } from '../../database/src/connection.ts';

/** What every command needs: configuration, a logger, and the database URL on first use. */
export interface Context {
  config: Config;
  log: Logger;
  databaseUrl(): Promise<string>;
}

export function createContext(name: string): Context {
  const config = loadConfig();
  const log = createLogger(name, {}, 2);
  let url: Promise<string> | undefined;
  return {
    config,
    log,
    databaseUrl: () => (url ??= resolveDatabaseUrl(log, config)),
  };
}
