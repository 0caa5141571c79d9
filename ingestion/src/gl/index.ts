/**
 * The GL client's entry point, `ingestGl(deps, options) → Outcome`, one call per mode:
 *   incremental (default): reference data, then lines from the day after the watermark up to
 *                          the day before GL_AS_OF (first run: the whole 365-day history before
 *                          GL_AS_OF); a no-op when current.
 *   range:                 reference data, then lines of [from, to]; the watermark moves only
 *                          when the range continues it (from <= watermark + 1, or before any
 *                          load from <= the first day of the history).
 *   follow:                reference data, then the live stream until stopped (see ./follow.ts
 *                          for its state, retries and outage alert).
 * The failure rule is ../load/outcome.ts's, the same as EIA's.
 */
import type pg from 'pg';
import { addDays } from '../../../core/dates.ts';
import type { Config } from '../../../core/config.ts';
import type { Outcome } from '../../../core/outcome.ts';
import { emptyCounts, failBatch, startBatch, type BatchCounts } from '../load/batches.ts';
import { DatabaseError, errorMessage } from '../load/errors.ts';
import { withIngestLock } from '../load/lock.ts';
import { loadCounts, loadStatus, type IngestDeps } from '../load/outcome.ts';
import type { RetryPolicy } from '../load/retry.ts';
import { GL_LINES_WATERMARK, readWatermark } from '../load/watermarks.ts';
import { backfillLines, type BackfillProgress } from './backfill.ts';
import { historyRange } from './dates.ts';
import { followStream, type FollowerAlert, type FollowerStatus, type FollowResult } from './follow.ts';
import { GlHttp } from './http.ts';
import { loadReferenceData } from './reference.ts';
import { glLineValidator } from './schema.ts';

export type { FollowerAlert, FollowerState, FollowerStatus } from './follow.ts';

export type GlMode =
  | { kind: 'incremental' }
  | { kind: 'range'; from: string; to: string }
  | { kind: 'follow'; stopAfterEvents?: number };

export type { IngestDeps };

export interface GlIngestOptions {
  gl: Pick<Config['gl'], 'url' | 'token' | 'asOf'>;
  mode: GlMode;
  /** Load the reference data first. Default true. */
  reference?: boolean;
  batchLines?: number;
  flushLines?: number;
  flushMs?: number;
  requestTimeoutMs?: number;
  idleTimeoutMs?: number;
  /** HTTP and backfill retries. */
  retry?: Partial<RetryPolicy>;
  /** The follower: reconnection policy (default forever, cap 60 s), outage alert and state. */
  follow?: {
    retry?: Partial<RetryPolicy>;
    alertAfterMs?: number;
    onState?: (status: FollowerStatus) => void;
    onAlert?: (alert: FollowerAlert) => void | Promise<void>;
  };
  onProgress?: (progress: BackfillProgress) => void;
}

/** `details` of a GL Outcome. */
export type GlIngestDetails = {
  mode: GlMode['kind'];
  reference: BatchCounts | undefined;
  lines: BatchCounts;
  range: { from: string; to: string } | undefined;
  batches: number;
  stream: FollowResult | undefined;
};

export interface GlOutcome extends Outcome {
  details: GlIngestDetails;
}

/**
 * A failure outside any chunk (the service refused the request, retries ran out) leaves no
 * batch behind; it is recorded as a failed batch so monitoring sees it. A chunk that failed
 * while loading (DatabaseError) has already marked its own batch failed.
 */
async function recordFailure(pool: pg.Pool, entity: string, params: object, error: unknown): Promise<void> {
  if (error instanceof DatabaseError) return;
  const batchId = await startBatch(pool, 'gl', entity, params).catch(() => undefined);
  if (batchId !== undefined) await failBatch(pool, batchId, error).catch(() => undefined);
}

function validate(mode: GlMode): void {
  if (mode.kind === 'range' && mode.from > mode.to)
    throw new Error(`ingestGl: from ${mode.from} is after to ${mode.to}`);
}

export async function ingestGl(deps: IngestDeps, options: GlIngestOptions): Promise<GlOutcome> {
  validate(options.mode);
  const started = performance.now();
  const { pool, log, signal } = deps;
  const http = new GlHttp({
    baseUrl: options.gl.url,
    token: options.gl.token,
    requestTimeoutMs: options.requestTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    retry: options.retry,
    log,
  });
  const details: GlIngestDetails = {
    mode: options.mode.kind,
    reference: undefined,
    lines: emptyCounts(),
    range: undefined,
    batches: 0,
    stream: undefined,
  };
  let failure: unknown;
  let entity = 'lines';
  let params: object = { mode: options.mode.kind };
  try {
    if (options.reference !== false)
      details.reference = (await loadReferenceData(pool, http, log, signal)).total;
    if (options.mode.kind === 'follow') {
      entity = 'stream';
      details.stream = await follow(deps, http, options, options.mode.stopAfterEvents);
      details.lines = details.stream.counts;
      details.batches = details.stream.batches;
    } else {
      await backfill(deps, http, options, details, (p) => (params = p));
    }
  } catch (error) {
    failure = error;
    await recordFailure(pool, entity, params, error);
  }
  const counts = loadCounts(details.lines, {
    batches: details.batches,
    reference_inserted: details.reference?.inserted ?? 0,
    reference_revised: details.reference?.revised ?? 0,
  });
  const status = loadStatus({ failed: failure !== undefined, counts: details.lines });
  const what =
    options.mode.kind === 'follow'
      ? `${details.stream?.events ?? 0} stream events`
      : details.range
        ? `${details.range.from}..${details.range.to}`
        : 'nothing new';
  const message =
    failure !== undefined
      ? `GL ${options.mode.kind} failed: ${errorMessage(failure)}`
      : `GL ${options.mode.kind} (${what}): ${details.lines.inserted} lines new, ${details.lines.unchanged} unchanged, ` +
        `${details.lines.revised} revised, ${details.lines.quarantined} quarantined in ${details.batches} batches`;
  if (failure !== undefined) log.error({ err: errorMessage(failure), ...details }, message);
  return { status, counts, durationMs: Math.round(performance.now() - started), message, details };
}

async function follow(
  deps: IngestDeps,
  http: GlHttp,
  options: GlIngestOptions,
  stopAfterEvents: number | undefined,
): Promise<FollowResult> {
  return withIngestLock(
    deps.pool,
    'gl',
    'stream',
    (lockSignal) =>
      followStream({
        pool: deps.pool,
        http,
        log: deps.log,
        validate: glLineValidator(),
        flushLines: options.flushLines,
        flushMs: options.flushMs,
        idleTimeoutMs: options.idleTimeoutMs,
        stopAfterEvents,
        retry: options.follow?.retry,
        alertAfterMs: options.follow?.alertAfterMs,
        onState: options.follow?.onState,
        onAlert: options.follow?.onAlert,
        signal: deps.signal ? AbortSignal.any([deps.signal, lockSignal]) : lockSignal,
      }),
    deps.log,
  );
}

async function backfill(
  deps: IngestDeps,
  http: GlHttp,
  options: GlIngestOptions,
  details: GlIngestDetails,
  describe: (params: object) => void,
): Promise<void> {
  const { pool, log } = deps;
  const mode = options.mode;
  await withIngestLock(
    pool,
    'gl',
    'lines',
    async (lockSignal) => {
      const watermark = await readWatermark(pool, GL_LINES_WATERMARK.source, GL_LINES_WATERMARK.key);
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
      details.range = { from, to };
      describe({ mode: mode.kind, from, to });
      log.info({ from, to, watermark: watermark ?? null, advanceWatermark: advance }, 'GL backfill starting');
      const started = Date.now();
      const result = await backfillLines({
        pool,
        http,
        log,
        validate: glLineValidator(),
        from,
        to,
        advanceWatermark: advance,
        batchLines: options.batchLines,
        signal: deps.signal ? AbortSignal.any([deps.signal, lockSignal]) : lockSignal,
        onProgress: options.onProgress,
      });
      details.lines = result.counts;
      details.batches = result.batches;
      const seconds = (Date.now() - started) / 1000;
      log.info(
        {
          from,
          to,
          ...result.counts,
          batches: result.batches,
          requests: result.requests,
          seconds,
          linesPerSecond: Math.round(result.counts.received / seconds),
        },
        'GL backfill finished',
      );
    },
    log,
  );
}
