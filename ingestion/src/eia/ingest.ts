/**
 * One EIA ingestion run: for every catalog series (or the chosen ones), one batch under the
 * series' advisory lock: plan the range from the watermark, fetch every page, validate, then
 * commit rows + archive + watermark + batch status together (load.ts).
 *
 * Range: an explicit from/to backfills exactly that; otherwise the watermark (last period
 * loaded) minus the look-back window (14 days daily, 24 months monthly) so EIA's revisions of
 * recent values are picked up; a first run starts at the series' defaultStart.
 */
import type pg from 'pg';
import type { Logger } from '../../../core/logger.ts';
import type { Outcome } from '../../../core/outcome.ts';
import { addCounts, emptyCounts, failBatch, startBatch, type BatchCounts } from '../load/batches.ts';
import { errorMessage } from '../load/errors.ts';
import { withIngestLock } from '../load/lock.ts';
import { loadCounts, loadStatus, type IngestDeps } from '../load/outcome.ts';
import { retrying } from '../load/retry.ts';
import { readWatermark } from '../load/watermarks.ts';
import { LOOK_BACK, selectSeries, type EiaSeries } from './catalog.ts';
import type { EiaClient } from './client.ts';
import { commitEiaBatch, prepareRows } from './load.ts';
import { shiftPeriod, toEndPeriod, toPeriod } from './periods.ts';

export interface EiaRange {
  start?: string;
  end?: string;
  mode: 'initial' | 'incremental' | 'backfill';
  watermark?: string;
}

/** The shared deps, plus the EIA API client. */
export interface EiaDeps extends IngestDeps {
  client: EiaClient;
}

export interface IngestEiaOptions {
  /** Series ids; all of the catalog when empty. */
  series?: readonly string[];
  /** `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`): backfill from here instead of the watermark. */
  from?: string;
  to?: string;
  /** Test hook, run inside each batch's transaction just before COMMIT. */
  beforeCommit?: (series: EiaSeries, batchId: number) => Promise<void>;
}

export interface SeriesOutcome {
  series: string;
  batchId: number | undefined;
  status: 'succeeded' | 'failed';
  range: EiaRange | undefined;
  counts: BatchCounts | undefined;
  warnings: string[];
  error?: string;
  durationMs: number;
}

export async function planRange(
  db: Pick<pg.Pool, 'query'>,
  series: EiaSeries,
  from?: string,
  to?: string,
): Promise<EiaRange> {
  const end = to ? toEndPeriod(to, series.frequency) : undefined;
  if (from) return { start: toPeriod(from, series.frequency), end, mode: 'backfill' };
  const watermark = await readWatermark(db, 'eia', series.id);
  if (watermark) {
    return {
      start: shiftPeriod(watermark, series.frequency, LOOK_BACK[series.frequency]),
      end,
      mode: 'incremental',
      watermark,
    };
  }
  return { start: series.defaultStart, end, mode: 'initial' };
}

async function ingestSeries(
  deps: EiaDeps,
  options: IngestEiaOptions,
  series: EiaSeries,
): Promise<SeriesOutcome> {
  const { pool, client, log } = deps;
  const started = performance.now();
  let batchId: number | undefined;
  let range: EiaRange | undefined;
  try {
    return await withIngestLock(
      pool,
      'eia',
      series.id,
      async () => {
        // a lost database connection rolls the batch back whole; the series is loaded again
        return retrying(() => loadSeries(), { label: `EIA ${series.id}`, signal: deps.signal, log });
      },
      log,
    );
  } catch (error) {
    return failedSeries({ pool, log, series: series.id, batchId, range, started, error, what: 'failed' });
  }

  async function loadSeries(): Promise<SeriesOutcome> {
    if (batchId !== undefined)
      await failBatch(pool, batchId, new Error('retried after a lost database connection'));
    range = await planRange(pool, series, options.from, options.to);
    batchId = await startBatch(pool, 'eia', series.id, {
      route: series.route,
      frequency: series.frequency,
      ...range,
    });
    const id = batchId;
    const fetched = await client.fetchSeries(series, range);
    const prepared = prepareRows(series, fetched.rows);
    const warnings = [...fetched.warnings];
    if (fetched.rows.length === 0) {
      warnings.push(
        `no rows for ${series.id} between ${range.start ?? 'the beginning'} and ${range.end ?? 'the latest period'}`,
      );
    }
    for (const r of prepared.rejected.slice(0, 3))
      log.warn({ series: series.id, record: r.recordKey }, `quarantined: ${r.reason}`);
    const counts = await commitEiaBatch(pool, {
      batchId: id,
      series,
      steps: [prepared],
      pages: fetched.pages,
      warnings,
      beforeCommit: options.beforeCommit && (() => options.beforeCommit!(series, id)),
    });
    const durationMs = Math.round(performance.now() - started);
    const log_ = warnings.length ? log.warn.bind(log) : log.info.bind(log);
    log_(
      {
        series: series.id,
        batchId: id,
        ...range,
        pages: fetched.pages.length,
        ...counts,
        warnings,
        durationMs,
      },
      `EIA ${series.id}: ${counts.received} received, ${counts.inserted} new, ${counts.revised} revised, ` +
        `${counts.unchanged} unchanged, ${counts.quarantined} quarantined (${range.start ?? '…'}..${range.end ?? 'latest'}, ${durationMs} ms)`,
    );
    return {
      series: series.id,
      batchId: id,
      status: 'succeeded',
      range,
      counts,
      warnings,
      durationMs,
    } satisfies SeriesOutcome;
  }
}

/**
 * A series that failed: its batch (if one started) is marked failed, the error logged, and the
 * outcome says why; the caller goes on with the next series.
 */
export async function failedSeries(failure: {
  pool: pg.Pool;
  log: Logger;
  series: string;
  batchId: number | undefined;
  range: EiaRange | undefined;
  started: number;
  error: unknown;
  what: string;
}): Promise<SeriesOutcome> {
  const { pool, log, series, batchId, error } = failure;
  const message = errorMessage(error);
  if (batchId !== undefined) await failBatch(pool, batchId, error).catch(() => undefined);
  log.error({ series, batchId, err: message }, `EIA ${series} ${failure.what}: ${message}`);
  return {
    series,
    batchId,
    status: 'failed',
    range: failure.range,
    counts: undefined,
    warnings: [],
    error: message,
    durationMs: Math.round(performance.now() - failure.started),
  };
}

/** `details` of an EIA Outcome: one entry per series. */
export type EiaIngestDetails = { series: SeriesOutcome[] };

export interface EiaOutcome extends Outcome {
  details: EiaIngestDetails;
}

/** Sums per-series outcomes into the entry point's Outcome (the failure rule of ../load/outcome.ts). */
export function eiaOutcome(what: string, outcomes: SeriesOutcome[], durationMs: number): EiaOutcome {
  const failed = outcomes.filter((o) => o.status === 'failed');
  let counts = emptyCounts();
  for (const o of outcomes) if (o.counts) counts = addCounts(counts, o.counts);
  const warnings = outcomes.reduce((n, o) => n + o.warnings.length, 0);
  const loaded = outcomes.length - failed.length;
  const message =
    `${what}: ${loaded} of ${outcomes.length} series loaded, ${counts.inserted} new, ${counts.revised} revised, ` +
    `${counts.unchanged} unchanged, ${counts.quarantined} quarantined` +
    (failed.length ? `; failed: ${failed.map((o) => `${o.series} (${o.error})`).join('; ')}` : '');
  return {
    status: loadStatus({ failed: failed.length > 0, counts, warnings }),
    counts: loadCounts(counts, { series: outcomes.length, series_failed: failed.length }),
    durationMs,
    message,
    details: { series: outcomes },
  };
}

/** Ingests the chosen series one after the other; a failed series does not stop the others. */
export async function ingestEia(deps: EiaDeps, options: IngestEiaOptions): Promise<EiaOutcome> {
  const started = performance.now();
  const series = selectSeries(options.series);
  const outcomes: SeriesOutcome[] = [];
  for (const s of series) {
    if (deps.signal?.aborted) break;
    outcomes.push(await ingestSeries(deps, options, s));
  }
  const outcome = eiaOutcome('EIA ingestion finished', outcomes, Math.round(performance.now() - started));
  deps.log.info(
    { series: outcomes.length, failed: outcomes.filter((o) => o.status === 'failed').map((o) => o.series) },
    outcome.message,
  );
  return outcome;
}
