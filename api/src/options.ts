import type { Config } from '../../core/config.ts';
import { GL_LIMITS } from '../../core/config.ts';
import { parseIsoDate } from './generator/calendar.ts';

/** What the GL app needs; tests build it directly, the server from core/config.ts. */
export interface GlAppOptions {
  seed: number;
  wells: number;
  /** YYYY-MM-DD: history is the 365 days before it. */
  asOf: string;
  streamIntervalS: number;
  /** Folder of EIA-format monthly benchmark CSVs (GL_PRICE_DECK_DIR); unset: the seeded price model. */
  priceDeckDir?: string | undefined;
  /** When set, every data route requires `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** The clock, in ms since the epoch: injectable so tests need not wait for slots to pass. */
  now?: () => number;
  /** How often an open stream looks at the clock for a completed slot. */
  streamPollMs?: number;
  /** Comment lines keep idle proxies from closing a quiet stream. */
  heartbeatMs?: number;
  /** Requests per minute per client before 429. */
  rateLimitMax?: number;
  /**
   * Generator processes generating and serializing days; 0 generates on the main thread, yielding to
   * other requests between days (the default for in-process use and tests).
   */
  generatorThreads?: number;
  /**
   * Bytes of serialized days kept as files for repeated ranges, pages and streams (an LRU; the
   * last couple of days stay in memory whatever the bound).
   */
  dayCacheBytes?: number;
  /** Folder in which the service makes its own day cache folder, removed on close (default: the OS temp folder). */
  dayCacheDir?: string | undefined;
}

export const DEFAULT_DAY_CACHE_BYTES = 256 * 1024 * 1024;

/** The service's options from core/config.ts (`api` omitted: generation on the main thread). */
export function optionsFromConfig(gl: Config['gl'], api?: Config['api']): GlAppOptions {
  return {
    seed: gl.seed,
    wells: gl.wells,
    asOf: gl.asOf,
    streamIntervalS: gl.streamIntervalS,
    token: gl.token,
    priceDeckDir: gl.priceDeckDir,
    generatorThreads: api?.generatorThreads,
    dayCacheBytes: api === undefined ? undefined : api.dayCacheMb * 1024 * 1024,
    dayCacheDir: api?.dayCacheDir,
  };
}

/**
 * Refuses options the service cannot serve, before it starts: the same bounds core/config.ts
 * applies to the environment, for callers that build options in code.
 */
export function validateOptions(options: GlAppOptions): void {
  const { wells, seed, streamIntervalS, earliestAsOf } = GL_LIMITS;
  const problems: string[] = [];
  const within = (name: string, value: number, limits: { min: number; max: number }) => {
    if (!Number.isSafeInteger(value) || value < limits.min || value > limits.max)
      problems.push(`${name} must be an integer from ${limits.min} to ${limits.max}, got ${value}`);
  };
  within('wells', options.wells, wells);
  within('seed', options.seed, seed);
  within('streamIntervalS', options.streamIntervalS, streamIntervalS);
  within('generatorThreads', options.generatorThreads ?? 0, { min: 0, max: 16 });
  within('dayCacheBytes', options.dayCacheBytes ?? 0, { min: 0, max: Number.MAX_SAFE_INTEGER });
  if (parseIsoDate(options.asOf) === undefined || !/^\d{4}-/.test(options.asOf))
    problems.push(`asOf must be a real calendar date YYYY-MM-DD, got ${JSON.stringify(options.asOf)}`);
  else if (options.asOf < earliestAsOf)
    problems.push(`asOf must be ${earliestAsOf} or later (the generator's first wells), got ${options.asOf}`);
  if (problems.length > 0) throw new Error(`invalid GL service options: ${problems.join('; ')}`);
}
