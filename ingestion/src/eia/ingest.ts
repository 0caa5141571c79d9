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
import { failBatch, startBatch, withIngestLock, type BatchCounts } from '../load/batches.ts';
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

export interface IngestEiaOptions {
  pool: pg.Pool;
  client: EiaClient;
  log: Logger;
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

export async function readWatermark(
  db: Pick<pg.Pool, 'query'>,
  seriesId: string,
): Promise<string | undefined> {
  const { rows } = await db.query<{ value: string }>(
    `SELECT value FROM ops.watermarks WHERE source = 'eia' AND key = $1`,
    [seriesId],
  );
  return rows[0]?.value;
}

export async function planRange(
  db: Pick<pg.Pool, 'query'>,
  series: EiaSeries,
  from?: string,
  to?: string,
): Promise<EiaRange> {
  const end = to ? toEndPeriod(to, series.frequency) : undefined;
  if (from) return { start: toPeriod(from, series.frequency), end, mode: 'backfill' };
  const watermark = await readWatermark(db, series.id);
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

async function ingestSeries(options: IngestEiaOptions, series: EiaSeries): Promise<SeriesOutcome> {
  const { pool, client, log } = options;
  const started = performance.now();
  let batchId: number | undefined;
  let range: EiaRange | undefined;
  try {
    return await withIngestLock(pool, 'eia', series.id, async () => {
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
    });
  } catch (error) {
    return failedSeries({ pool, log, series: series.id, batchId, range, started, error, what: 'failed' });
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
  const message = error instanceof Error ? error.message : String(error);
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

/** Ingests the chosen series one after the other; a failed series does not stop the others. */
export async function ingestEia(options: IngestEiaOptions): Promise<SeriesOutcome[]> {
  const series = selectSeries(options.series);
  const outcomes: SeriesOutcome[] = [];
  for (const s of series) outcomes.push(await ingestSeries(options, s));
  const failed = outcomes.filter((o) => o.status === 'failed');
  options.log.info(
    { series: outcomes.length, failed: failed.map((o) => o.series) },
    `EIA ingestion finished: ${outcomes.length - failed.length} of ${outcomes.length} series loaded`,
  );
  return outcomes;
}
