/**
 * `npm run eia-replay`: serves EIA_REPLAY_DIR (else ../shared/data/eia) as an EIA API v2
 * compatible server on EIA_REPLAY_HOST:EIA_REPLAY_PORT, settings read through core/config.ts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT, type Config } from '../../../../core/config.ts';
import { createLogger } from '../../../../core/logger.ts';
import { startEiaReplayServer } from './server.ts';

/** The replay folder: EIA_REPLAY_DIR, else ../shared/data/eia beside the project when present. */
export function defaultReplayDir(config: Config = loadConfig()): string | undefined {
  const configured = config.eia.replayDir;
  if (configured) return path.resolve(PROJECT_ROOT, configured);
  const shared = path.resolve(PROJECT_ROOT, '../shared/data/eia');
  return existsSync(shared) ? shared : undefined;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('eia-replay', {}, 1, config);
  const dir = defaultReplayDir(config);
  if (!dir) throw new Error('set EIA_REPLAY_DIR to a folder of EIA CSV files (e.g. ../shared/data/eia)');
  const { port, host } = config.eia.replay;
  const keyless = process.argv.includes('--keyless') || config.eia.replay.keyless;
  const server = await startEiaReplayServer({ dir, port, host, requireApiKey: !keyless, log });
  log.info(
    { url: server.baseUrl, dir, files: server.dataset.files, requireApiKey: !keyless },
    `EIA replay listening on ${server.baseUrl} (set EIA_BASE_URL=${server.baseUrl}${keyless ? '' : ' and any non-empty EIA_API_KEY'})`,
  );
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
