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
  };
  eia: {
    apiKey: string | undefined;
    baseUrl: string;
    replayDir: string | undefined;
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
    },
    alertWebhookUrl: str('ALERT_WEBHOOK_URL'),
    logLevel: str('LOG_LEVEL') ?? 'info',
    pipeline: {
      statusPort: int('PIPELINE_STATUS_PORT', 3000),
      glTransformEverySeconds: duration('GL_TRANSFORM_EVERY', 300, 5),
      eiaCron: str('PIPELINE_EIA_CRON') ?? '0 6 * * *',
    },
    logFormat: str('LOG_FORMAT'),
  };
}
