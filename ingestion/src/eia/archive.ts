/**
 * Replaying loads from raw.eia_responses, without EIA: every archived response body of the
 * chosen series' succeeded batches is parsed and applied again, batch by batch in the order
 * they were fetched, through the same validation and upsert as a live load. Typical uses: rebuild
 * raw.eia_observations after a bug fix in parsing, or restore it on a fresh database from an
 * archive dump. Each series becomes one new batch (params.replay_of lists the source batches);
 * nothing is re-archived.
 */
import { startBatch } from '../load/batches.ts';
import { withIngestLock } from '../load/lock.ts';
import type { IngestDeps } from '../load/outcome.ts';
import { selectSeries } from './catalog.ts';
import { parseDataResponse } from './client.ts';
import { eiaOutcome, failedSeries, type EiaOutcome, type SeriesOutcome } from './ingest.ts';
import { commitEiaBatch, prepareRows, type PreparedRows } from './load.ts';

export interface ReplayArchiveOptions {
  /** Series ids; all of the catalog when empty. */
  series?: readonly string[];
}

/** Re-applies every archived response of the chosen series, the same entry shape as ingestEia. */
export async function replayEiaArchive(deps: IngestDeps, options: ReplayArchiveOptions): Promise<EiaOutcome> {
  const { pool, log } = deps;
  const begun = performance.now();
  const outcomes: SeriesOutcome[] = [];
  for (const series of selectSeries(options.series)) {
    const started = performance.now();
    let batchId: number | undefined;
    try {
      outcomes.push(
        await withIngestLock(
          pool,
          'eia',
          series.id,
          async () => {
            const { rows } = await pool.query<{ batch_id: string; body: unknown }>(
              `SELECT r.batch_id, r.body
               FROM raw.eia_responses r
               JOIN ops.ingestion_batches b ON b.batch_id = r.batch_id
              WHERE b.source = 'eia' AND b.entity = $1 AND b.status = 'succeeded'
              ORDER BY r.batch_id, r.response_id`,
              [series.id],
            );
            const byBatch = new Map<string, unknown[]>();
            for (const row of rows)
              byBatch.set(row.batch_id, [...(byBatch.get(row.batch_id) ?? []), row.body]);
            const steps: PreparedRows[] = [...byBatch.values()].map((bodies) =>
              prepareRows(
                series,
                bodies.flatMap((body) => parseDataResponse(body).rows),
              ),
            );
            const replayOf = [...byBatch.keys()].map(Number);
            batchId = await startBatch(pool, 'eia', series.id, { route: series.route, replay_of: replayOf });
            const warnings = replayOf.length ? [] : [`no archived responses for ${series.id}`];
            const counts = await commitEiaBatch(pool, { batchId, series, steps, pages: [], warnings });
            const durationMs = Math.round(performance.now() - started);
            log.info(
              { series: series.id, batchId, replayOf, ...counts, durationMs },
              `EIA ${series.id} replayed from ${replayOf.length} archived batch(es): ${counts.inserted} new, ${counts.revised} revised, ${counts.unchanged} unchanged`,
            );
            return {
              series: series.id,
              batchId,
              status: 'succeeded',
              range: undefined,
              counts,
              warnings,
              durationMs,
            } satisfies SeriesOutcome;
          },
          log,
        ),
      );
    } catch (error) {
      outcomes.push(
        await failedSeries({
          pool,
          log,
          series: series.id,
          batchId,
          range: undefined,
          started,
          error,
          what: 'archive replay failed',
        }),
      );
    }
  }
  const outcome = eiaOutcome('EIA archive replay finished', outcomes, Math.round(performance.now() - begun));
  log.info({ series: outcomes.length }, outcome.message);
  return outcome;
}
