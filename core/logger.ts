import pino from 'pino';
import pretty from 'pino-pretty';
import { loadConfig, type Config } from './config.ts';

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

/**
 * JSON lines for machines; on a terminal, the same records pretty-printed (synchronously, so a
 * command that exits right after logging loses nothing). LOG_FORMAT=json forces JSON.
 */
export function createLogger(
  name: string,
  options: pino.LoggerOptions = {},
  /** 1 for services; 2 for commands, whose stdout is their output. */
  fd: 1 | 2 = 1,
  config: Pick<Config, 'logLevel' | 'logFormat'> = loadConfig(),
): pino.Logger {
  const settings: pino.LoggerOptions = {
    name,
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...options,
  };
  const human = (fd === 1 ? process.stdout : process.stderr).isTTY && config.logFormat !== 'json';
  return human
    ? pino(
        settings,
        pretty({
          destination: fd,
          sync: true,
          colorize: true,
          ignore: 'pid,hostname',
          translateTime: 'SYS:HH:MM:ss',
        }),
      )
    : pino(settings, pino.destination({ fd, sync: true }));
}

export type Logger = pino.Logger;
