import { writeSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { prettyFactory } from 'pino-pretty';
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
 * JSON lines for machines. On a terminal, one readable line per event (the message carries the
 * counts; the fields appear only at LOG_LEVEL=debug or trace), while the full JSON records go to
 * `.data/logs/<name>.log` so nothing is lost. Writes are synchronous, so a command that exits
 * right after logging loses nothing. LOG_FORMAT=json forces JSON everywhere; LOG_FORMAT=pretty
 * gives the readable lines (and the JSON file) off a terminal too, as run.sh does in CI.
 */
export function createLogger(
  name: string,
  options: pino.LoggerOptions = {},
  /** 1 for services; 2 for commands, whose stdout is their output. */
  fd: 1 | 2 = 1,
  config: Pick<Config, 'logLevel' | 'logFormat' | 'dataDir'> = loadConfig(),
): pino.Logger {
  const settings: pino.LoggerOptions = {
    name,
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...options,
  };
  const tty = (fd === 1 ? process.stdout : process.stderr).isTTY ?? false;
  const format = config.logFormat;
  if (format === 'json' || (!tty && format !== 'pretty'))
    return pino(settings, pino.destination({ fd, sync: true }));
  const level = settings.level ?? 'info';
  const verbose = level !== 'silent' && (pino.levels.values[level] ?? 30) <= pino.levels.values.debug!;
  return pino(
    settings,
    pino.multistream([
      { level: 'trace', stream: terminalStream(fd, verbose, tty) },
      {
        level: 'trace',
        stream: pino.destination({
          dest: path.join(config.dataDir, 'logs', `${name}.log`),
          append: true,
          mkdir: true,
          sync: true,
        }),
      },
    ]),
  );
}

/** Record keys that are pino's own or too long for one line. */
const NOT_A_FACT = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'err', 'error', 'stack']);

/**
 * A message without a number ("GL wells loaded") gets up to six short facts of its record appended
 * (`inserted=20 unchanged=0`), so the line still says what happened; a message that carries its
 * counts stands alone. Objects and long strings stay in the JSON log.
 */
export function compactFacts(record: Record<string, unknown>): string {
  if (/\d/.test(String(record.msg ?? ''))) return '';
  const facts: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (NOT_A_FACT.has(key) || facts.length >= 6) continue;
    if (typeof value === 'number' || typeof value === 'boolean') facts.push(`${key}=${value}`);
    else if (typeof value === 'string' && value.length <= 32 && value !== '[redacted]')
      facts.push(`${key}=${value}`);
  }
  return facts.join(' ');
}

/**
 * `HH:MM:SS LEVEL message` per record. Each line first clears the terminal's current line, so a
 * progress bar drawn in place (core/progress.ts) is replaced instead of run into.
 */
function terminalStream(fd: 1 | 2, verbose: boolean, tty: boolean): { write(line: string): void } {
  const dim = (text: string) => (tty ? `\x1b[2m${text}\x1b[22m` : text);
  const format = prettyFactory({
    colorize: tty,
    ignore: 'pid,hostname,name',
    translateTime: 'SYS:HH:MM:ss',
    hideObject: !verbose,
    singleLine: verbose,
    messageFormat: verbose
      ? false
      : (record, key) => {
          const facts = compactFacts(record);
          return `${String(record[key] ?? '')}${facts ? ` ${dim(facts)}` : ''}`;
        },
  });
  return {
    write(line: string) {
      writeSync(fd, tty ? `\r\x1b[2K${format(line)}` : format(line));
    },
  };
}

export type Logger = pino.Logger;
