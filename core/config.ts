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

/**
 * Bounds of the GL service's numeric settings, checked at start-up (here for the environment,
 * and by the service for options given in code). GL_WELLS: 10,000 wells is ~33M lines a year;
 * far more never becomes ready in the memory of one machine. GL_AS_OF: the generator's first
 * wells come on in 2014 (api/src/domain/wells.ts), so the 365 days of history must start after.
 */
export const GL_LIMITS = {
  wells: { min: 1, max: 10_000 },
  seed: { min: 0, max: 2 ** 32 - 1 },
  streamIntervalS: { min: 1, max: 86_400 },
  earliestAsOf: '2015-01-01',
} as const;

function int(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = str(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function isoDate(name: string, earliest = '0000-01-01'): string | undefined {
  const raw = str(name);
  if (raw === undefined) return undefined;
  if (!isIsoDate(raw)) throw new Error(`${name} must be a real calendar date YYYY-MM-DD, got "${raw}"`);
  if (raw < earliest) throw new Error(`${name} must be ${earliest} or later, got "${raw}"`);
  return raw;
}

/** `30s`, `5m`, `1h`, `5 minutes` or plain seconds → seconds. */
function duration(name: string, fallbackSeconds: number, minSeconds = 1): number {
  const raw = str(name);
  if (raw === undefined) return fallbackSeconds;
  const match = /^(\d+)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)?$/i.exec(raw);
  if (!match) throw new Error(`${name} must be a duration like 30s, 5m or 1h, got "${raw}"`);
  const unit = (match[2] ?? 's').toLowerCase()[0];
  const seconds = Number(match[1]) * (unit === 'h' ? 3600 : unit === 'm' ? 60 : 1);
  if (seconds < minSeconds) throw new Error(`${name} must be at least ${minSeconds}s, got "${raw}"`);
  return seconds;
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
    /** Folder of EIA-format monthly WTI and Henry Hub CSVs to price production off (unset: the seeded model). */
    priceDeckDir: string | undefined;
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
  /** How the GL service works (not what it serves). */
  api: {
    /** Generator processes making days (GL_API_THREADS); 0 generates on the main thread. */
    generatorThreads: number;
    /** Megabytes of serialized days the service keeps as files for repeated ranges (GL_API_CACHE_MB). */
    dayCacheMb: number;
    /**
     * Folder in which each service process makes its own day cache folder, removed when it closes
     * (GL_API_CACHE_DIR); unset: the OS temp folder.
     */
    dayCacheDir: string | undefined;
  };
  alertWebhookUrl: string | undefined;
  logLevel: string;
  pipeline: {
    /** Port of the status page, its JSON API and /metrics (`pipeline serve`), on 127.0.0.1. */
    statusPort: number;
    /** Seconds between the incremental dbt builds of the GL lineage in `serve`. */
    glTransformEverySeconds: number;
    /** Cron (UTC, 5 or 6 fields) of the daily EIA workflow. */
    eiaCron: string;
  };
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
  const port = int('GL_API_PORT', 8000, 0, 65_535);
  const cacheDir = str('GL_API_CACHE_DIR');
  return {
    databaseUrl: str('DATABASE_URL'),
    dataDir: path.resolve(PROJECT_ROOT, str('PIPELINE_DATA_DIR') ?? '.data'),
    gl: {
      host: str('GL_API_HOST') ?? '127.0.0.1',
      port,
      url: (str('GL_API_URL') ?? `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
      token: str('GL_API_TOKEN'),
      seed: int('GL_SEED', 42, GL_LIMITS.seed.min, GL_LIMITS.seed.max),
      asOf: isoDate('GL_AS_OF', GL_LIMITS.earliestAsOf) ?? todayUtc(),
      wells: int('GL_WELLS', 300, GL_LIMITS.wells.min, GL_LIMITS.wells.max),
      streamIntervalS: int(
        'GL_STREAM_INTERVAL_S',
        30,
        GL_LIMITS.streamIntervalS.min,
        GL_LIMITS.streamIntervalS.max,
      ),
      priceDeckDir: str('GL_PRICE_DECK_DIR'),
    },
    api: {
      generatorThreads: int('GL_API_THREADS', 2, 0, 16),
      dayCacheMb: int('GL_API_CACHE_MB', 256, 0, 1_048_576),
      dayCacheDir: cacheDir === undefined ? undefined : path.resolve(PROJECT_ROOT, cacheDir),
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
    pipeline: {
      statusPort: int('PIPELINE_STATUS_PORT', 3000),
      glTransformEverySeconds: duration('GL_TRANSFORM_EVERY', 300, 5),
      eiaCron: str('PIPELINE_EIA_CRON') ?? '0 6 * * *',
    },
    logFormat: str('LOG_FORMAT'),
    roles: {
      loaderUrl: str('LOADER_DATABASE_URL'),
      transformerUrl: str('TRANSFORMER_DATABASE_URL'),
      reportingUrl: str('REPORTING_DATABASE_URL'),
    },
  };
}
