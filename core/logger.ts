import pino from 'pino';
import { loadConfig } from './config.ts';

/**
 * Secrets can reach a log line through a URL, a header or a config object; pino's
 * redaction removes them wherever they sit, so no call site has to remember.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'apiKey',
  'api_key',
  'token',
  'password',
  '*.apiKey',
  '*.api_key',
  '*.token',
  '*.password',
];

export function createLogger(name: string, options: pino.LoggerOptions = {}): pino.Logger {
  return pino({
    name,
    level: loadConfig().logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...options,
  });
}

/** Removes credentials from a URL before it is logged or put into an error message. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = 'redacted';
    for (const key of ['api_key', 'token', 'apikey']) {
      if (parsed.searchParams.has(key)) parsed.searchParams.set(key, 'redacted');
    }
    return parsed.toString();
  } catch {
    return url.replace(/(api_key|token)=[^&\s]+/gi, '$1=redacted');
  }
}

export type Logger = pino.Logger;
