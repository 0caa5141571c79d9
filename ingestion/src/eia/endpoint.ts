/**
 * Where EIA requests go:
 * - EIA_BASE_URL set to anything but the live API → that server (the replay, a proxy), with
 *   EIA_API_KEY when set;
 * - otherwise EIA_API_KEY set → the live API;
 * - otherwise EIA_REPLAY_DIR set → a built-in replay server started in this process on a free
 *   127.0.0.1 port, keyless;
 * - otherwise an error that says to set EIA_API_KEY.
 */
import path from 'node:path';
import { PROJECT_ROOT, type Config } from '../../../core/config.ts';
import type { Logger } from '../../../core/logger.ts';
import { LIVE_EIA_BASE_URL } from './client.ts';
import { startEiaReplayServer } from './replay/server.ts';

export interface EiaEndpoint {
  mode: 'live' | 'custom' | 'replay';
  baseUrl: string;
  apiKey: string | undefined;
  /** Stops the in-process replay server, if one was started. */
  close(): Promise<void>;
}

export async function resolveEiaEndpoint(eia: Config['eia'], log: Logger): Promise<EiaEndpoint> {
  const baseUrl = eia.baseUrl.replace(/\/+$/, '');
  const none = async () => undefined;
  if (baseUrl !== LIVE_EIA_BASE_URL) {
    log.info({ baseUrl, apiKey: eia.apiKey ? 'set' : 'unset' }, 'EIA: using EIA_BASE_URL');
    return { mode: 'custom', baseUrl, apiKey: eia.apiKey, close: none };
  }
  if (eia.apiKey) return { mode: 'live', baseUrl, apiKey: eia.apiKey, close: none };
  if (eia.replayDir) {
    const dir = path.resolve(PROJECT_ROOT, eia.replayDir);
    const server = await startEiaReplayServer({ dir, port: 0, host: '127.0.0.1', requireApiKey: false, log });
    log.info(
      { baseUrl: server.baseUrl, dir },
      'EIA: no EIA_API_KEY, replaying EIA_REPLAY_DIR through the built-in replay server',
    );
    return { mode: 'replay', baseUrl: server.baseUrl, apiKey: undefined, close: () => server.close() };
  }
  throw new Error(
    'EIA_API_KEY is not set: set it to a key from https://www.eia.gov/opendata/register.php, ' +
      'or set EIA_REPLAY_DIR (e.g. ../shared/data/eia) to ingest the offline replay, or EIA_BASE_URL to a compatible server',
  );
}
