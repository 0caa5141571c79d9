/**
 * The GL client, as one call per mode:
 *   incremental (default): reference data, then lines from the day after the watermark up to
 *                          the day before GL_AS_OF (first run: the whole 365-day history before
 *                          GL_AS_OF); a no-op when current.
 *   range:                 reference data, then lines of [from, to]; the watermark moves only
 *                          when the range continues it (from <= watermark + 1, or before any
 *                          load from <= the first day of the history).
 *   follow:                reference data, then the live stream until stopped.
 */
import type pg from 'pg';
import type { Config } from '../../../core/config.ts';
import type { Logger } from '../../../core/logger.ts';
import { createPool, ROLES } from '../../../database/src/connection.ts';
import { emptyCounts, failBatch, startBatch, withIngestLock, type BatchCounts } from '../load/batches.ts';
import { backfillLines, LoadError, type BackfillProgress } from './backfill.ts';
import { addDays, historyRange } from './dates.ts';
import { followStream, type FollowResult } from './follow.ts';
import { GlHttp, type RetryPolicy } from './http.ts';
import { loadReferenceData } from './reference.ts';
import { glLineValidator } from './schema.ts';
import { readWatermark } from './state.ts';

export type GlMode =
  | { kind: 'incremental' }
  | { kind: 'range'; from: string; to: string }
  | { kind: 'follow'; stopAfterEvents?: number };

export interface GlIngestOptions {
  databaseUrl: string;
  gl: Pick<Config['gl'], 'url' | 'token' | 'asOf'>;
  log: Logger;
  mode: GlMode;
  /** Load the reference data first. Default true. */
  reference?: boolean;
  batchLines?: number;
  flushLines?: number;
  flushMs?: number;
  requestTimeoutMs?: number;
  idleTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  onProgress?: (progress: BackfillProgress) => void;
}

export interface GlIngestResult {
  reference: BatchCounts | undefined;
  lines: BatchCounts;
  range: { from: string; to: string } | undefined;
  batches: number;
  stream: FollowResult | undefined;
}

/**
 * A failure outside any chunk (the service refused the request, retries ran out) leaves no
 * batch behind; it is recorded as a failed batch so monitoring sees it. A chunk that failed
 * while loading (LoadError) has already marked its own batch failed.
 */
async function recordFailure<T>(
  pool: pg.Pool,
  entity: string,
  params: object,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof LoadError)) {
      const batchId = await startBatch(pool, 'gl', entity, params).catch(() => undefined);
      if (batchId !== undefined) await failBatch(pool, batchId, error).catch(() => undefined);
    }
    throw error;
  }
}

export async function ingestGl(options: GlIngestOptions): Promise<GlIngestResult> {
  const { log } = options;
  const pool = createPool(options.databaseUrl, { role: ROLES.loader, max: 4, application: 'gl-ingestion' });
  const http = new GlHttp({
    baseUrl: options.gl.url,
    token: options.gl.token,
    requestTimeoutMs: options.requestTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    retry: options.retry,
    log,
  });
  const validate = glLineValidator();
  const result: GlIngestResult = {
    reference: undefined,
    lines: emptyCounts(),
    range: undefined,
    batches: 0,
    stream: undefined,
  };
  try {
    if (options.reference !== false)
      result.reference = (await loadReferenceData(pool, http, log, options.signal)).total;

    if (options.mode.kind === 'follow') {
      const stopAfterEvents = options.mode.stopAfterEvents;
      result.stream = await withIngestLock(pool, 'gl', 'stream', () =>
        recordFailure(pool, 'stream', { mode: 'follow' }, () =>
          followStream({
            pool,
            http,
            log,
            validate,
            flushLines: options.flushLines,
            flushMs: options.flushMs,
            idleTimeoutMs: options.idleTimeoutMs,
            stopAfterEvents,
            signal: options.signal,
          }),
        ),
      );
      result.lines = result.stream.counts;
      result.batches = result.stream.batches;
      return result;
    }

    const mode = options.mode;
    await withIngestLock(pool, 'gl', 'lines', async () => {
      const watermark = await readWatermark(pool);
      let from: string;
      let to: string;
      let advance: boolean;
      if (mode.kind === 'range') {
        ({ from, to } = mode);
        // The watermark moves only when the range continues it: from the day after it, or, before
        // any load, from the start of the served history.
        advance =
          from <= (watermark === undefined ? historyRange(options.gl.asOf).from : addDays(watermark, 1));
      } else {
        const history = historyRange(options.gl.asOf);
        to = history.to;
        from = watermark === undefined ? history.from : addDays(watermark, 1);
        advance = true;
      }
      if (from > to) {
        log.info({ watermark, through: to }, 'GL lines are up to date');
        return;
      }
      result.range = { from, to };
      log.info({ from, to, watermark: watermark ?? null, advanceWatermark: advance }, 'GL backfill starting');
      const started = Date.now();
      const backfill = await recordFailure(pool, 'lines', { mode: mode.kind, from, to }, () =>
        backfillLines({
          pool,
          http,
          log,
          validate,
          from,
          to,
          advanceWatermark: advance,
          batchLines: options.batchLines,
          signal: options.signal,
          onProgress: options.onProgress,
        }),
      );
      result.lines = backfill.counts;
      result.batches = backfill.batches;
      const seconds = (Date.now() - started) / 1000;
      log.info(
        {
          from,
          to,
          ...backfill.counts,
          batches: backfill.batches,
          requests: backfill.requests,
          seconds,
          linesPerSecond: Math.round(backfill.counts.received / seconds),
        },
        'GL backfill finished',
      );
    });
    return result;
  } finally {
    await pool.end();
  }
}
