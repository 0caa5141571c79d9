/**
 * The one place environment variables are read. Every name here is promised in
 * ../shared/INTERFACES.md and documented in .env.example.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isIsoDate, todayUtc } from './dates.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function str(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function int(name: string, fallback: number, min = 0): number {
  const raw = str(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function isoDate(name: string): string | undefined {
  const raw = str(name);
  if (raw === undefined) return undefined;
  if (!isIsoDate(raw)) throw new Error(`${name} must be a date YYYY-MM-DD, got "${raw}"`);
  return raw;
}

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  gl: {
    /** Interface the service binds: loopback by default, 0.0.0.0 in its container. */
    host: string;
    port: number;
    url: string;
    token: string | undefined;
    seed: number;
    asOf: string;
    wells: number;
    streamIntervalS: number;
  };
  eia: {
    apiKey: string | undefined;
    baseUrl: string;
    replayDir: string | undefined;
    /** The standalone replay server (npm run eia-replay). */
    replay: { port: number; host: string; keyless: boolean };
  };
  /** The loaders (ingestion/). */
  ingestion: {
    /** A follower unable to stream for this long raises one alert. */
    followAlertAfterS: number;
    /** Longest wait between two reconnection attempts of the follower. */
    followMaxDelayS: number;
  };
  alertWebhookUrl: string | undefined;
  logLevel: string;
  /** `json` forces JSON log lines even on a terminal. */
  logFormat: string | undefined;
  /**
   * Login URLs of the stage roles (database/src/logins.ts). Each is a login of its own with a
   * password, used at run time instead of DATABASE_URL; `migrate` creates or updates them.
   */
  roles: {
    loaderUrl: string | undefined;
    transformerUrl: string | undefined;
    reportingUrl: string | undefined;
  };
}

/** Reads the environment on each call so tests can change it between cases. */
export function loadConfig(): Config {
  const port = int('GL_API_PORT', 8000);
  return {
    databaseUrl: str('DATABASE_URL'),
    dataDir: path.resolve(PROJECT_ROOT, str('PIPELINE_DATA_DIR') ?? '.data'),
    gl: {
      host: str('GL_API_HOST') ?? '127.0.0.1',
      port,
      url: (str('GL_API_URL') ?? `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
      token: str('GL_API_TOKEN'),
      seed: int('GL_SEED', 42),
      asOf: isoDate('GL_AS_OF') ?? todayUtc(),
      wells: int('GL_WELLS', 300, 1),
      streamIntervalS: int('GL_STREAM_INTERVAL_S', 30, 1),
    },
    eia: {
      apiKey: str('EIA_API_KEY'),
      baseUrl: (str('EIA_BASE_URL') ?? 'https://api.eia.gov/v2').replace(/\/+$/, ''),
      replayDir: str('EIA_REPLAY_DIR'),
      replay: {
        port: int('EIA_REPLAY_PORT', 8001),
        host: str('EIA_REPLAY_HOST') ?? '127.0.0.1',
        keyless: ['1', 'true'].includes(str('EIA_REPLAY_KEYLESS') ?? ''),
      },
    },
    ingestion: {
      followAlertAfterS: int('GL_FOLLOW_ALERT_AFTER_S', 600, 1),
      followMaxDelayS: int('GL_FOLLOW_MAX_DELAY_S', 60, 1),
    },
    alertWebhookUrl: str('ALERT_WEBHOOK_URL'),
    logLevel: str('LOG_LEVEL') ?? 'info',
    logFormat: str('LOG_FORMAT'),
    roles: {
      loaderUrl: str('LOADER_DATABASE_URL'),
      transformerUrl: str('TRANSFORMER_DATABASE_URL'),
      reportingUrl: str('REPORTING_DATABASE_URL'),
    },
  };
}
