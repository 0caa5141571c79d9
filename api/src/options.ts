import type { Config } from '../../core/config.ts';

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
  /** Lines of recently used days kept in memory for paging and streaming. */
  dayCacheLines?: number;
}

export function optionsFromConfig(gl: Config['gl']): GlAppOptions {
  return {
    seed: gl.seed,
    wells: gl.wells,
    asOf: gl.asOf,
    streamIntervalS: gl.streamIntervalS,
    token: gl.token,
    priceDeckDir: gl.priceDeckDir,
  };
}
