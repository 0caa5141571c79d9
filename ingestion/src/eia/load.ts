/**
 * Exactly-once loading of one EIA series batch. Everything a batch writes is committed in ONE
 * transaction: the observations (inserted or revised, with the superseded values in
 * raw.eia_observation_revisions), the quarantined rows, the archived response bodies, the
 * series' watermark and the batch's final status (finishBatch). A crash at any point therefore
 * leaves all of a batch or none of it; the batch row itself, committed `running` beforehand, is
 * marked failed by the next withIngestLock of the series.
 */
import type pg from 'pg';
import { withTransaction } from '../../../database/src/connection.ts';
import { emptyCounts, finishBatch, type BatchCounts } from '../load/batches.ts';
import { copyRows } from '../load/copy.ts';
import { quarantine, type QuarantinedRecord } from '../load/quarantine.ts';
import { advanceWatermark } from '../load/watermarks.ts';
import type { EiaSeries } from './catalog.ts';
import { parseObservation, type EiaObservation, type EiaPage, type EiaRow } from './client.ts';

export interface PreparedRows {
  received: number;
  valid: EiaObservation[];
  rejected: QuarantinedRecord[];
}

/** Validates rows of `series`: period format, numeric-or-null value, catalog series, one row per period. */
export function prepareRows(series: EiaSeries, rows: readonly EiaRow[]): PreparedRows {
  const valid: EiaObservation[] = [];
  const rejected: QuarantinedRecord[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const parsed = parseObservation(row, series);
    const period = typeof row?.period === 'string' ? row.period : null;
    const recordKey = `${series.id}|${series.frequency}|${period ?? '?'}`;
    if (!parsed.ok) {
      rejected.push({ recordKey, reason: parsed.reason, payload: row });
    } else if (seen.has(parsed.observation.period)) {
      rejected.push({ recordKey, reason: 'duplicate period in the response', payload: row });
    } else {
      seen.add(parsed.observation.period);
      valid.push(parsed.observation);
    }
  }
  return { received: rows.length, valid, rejected };
}

/** The body as archived: any echoed api_key removed (the live API may echo request params). */
export function sanitizeBody(body: unknown): unknown {
  const params = (body as { request?: { params?: Record<string, unknown> } } | null)?.request?.params;
  if (!params || typeof params !== 'object' || !('api_key' in params)) return body;
  const { api_key: _key, ...rest } = params;
  const copy = body as { request: Record<string, unknown> };
  return { ...copy, request: { ...copy.request, params: rest } };
}

export interface CommitOptions {
  batchId: number;
  series: EiaSeries;
  /** Applied in order (a replay of several archived batches applies each in turn). */
  steps: PreparedRows[];
  /**
   * The responses of this fetch (none when replaying the archive). They are archived in
   * raw.eia_responses only when the batch changes raw.eia_observations (see archivable()).
   */
  pages: EiaPage[];
  warnings: string[];
  /** Test hook: runs inside the transaction just before COMMIT. */
  beforeCommit?: () => Promise<void>;
}

const STAGE_COLUMNS = [
  'series_id',
  'frequency',
  'period',
  'period_start',
  'value',
  'units',
  'route',
  'facets',
];

/** A step's counts, plus the rows whose descriptive facets changed without a revision. */
type StepCounts = BatchCounts & { redescribed: number };

async function applyStep(client: pg.PoolClient, batchId: number, step: PreparedRows): Promise<StepCounts> {
  await client.query('TRUNCATE eia_stage');
  const staged = await copyRows(
    client,
    'eia_stage',
    STAGE_COLUMNS,
    step.valid.map((o) => [
      o.seriesId,
      o.frequency,
      o.period,
      o.periodStart,
      o.value,
      o.units,
      o.route,
      JSON.stringify(o.facets),
    ]),
  );
  // superseded values first, while the rows still hold them
  await client.query(
    `INSERT INTO raw.eia_observation_revisions
            (series_id, frequency, period, revision, value, units, batch_id, valid_from, replaced_by_batch_id)
     SELECT o.series_id, o.frequency, o.period, o.revision, o.value, o.units, o.batch_id, o.updated_at, $1
       FROM raw.eia_observations o
       JOIN eia_stage s USING (series_id, frequency, period)
      WHERE o.value IS DISTINCT FROM s.value OR o.units IS DISTINCT FROM s.units`,
    [batchId],
  );
  const revised = await client.query(
    `UPDATE raw.eia_observations o
        SET value = s.value, units = s.units, facets = s.facets, route = s.route, period_start = s.period_start,
            revision = o.revision + 1, batch_id = $1, updated_at = now()
       FROM eia_stage s
      WHERE o.series_id = s.series_id AND o.frequency = s.frequency AND o.period = s.period
        AND (o.value IS DISTINCT FROM s.value OR o.units IS DISTINCT FROM s.units)`,
    [batchId],
  );
  // descriptive facets (names, descriptions) follow EIA without counting as a revision
  const redescribed = await client.query(
    `UPDATE raw.eia_observations o SET facets = s.facets, route = s.route
       FROM eia_stage s
      WHERE o.series_id = s.series_id AND o.frequency = s.frequency AND o.period = s.period
        AND (o.facets IS DISTINCT FROM s.facets OR o.route IS DISTINCT FROM s.route)`,
  );
  const inserted = await client.query(
    `INSERT INTO raw.eia_observations
            (series_id, frequency, period, period_start, value, units, route, facets, first_batch_id, batch_id)
     SELECT series_id, frequency, period, period_start, value, units, route, facets, $1, $1 FROM eia_stage
     ON CONFLICT (series_id, frequency, period) DO NOTHING`,
    [batchId],
  );
  const revisedCount = revised.rowCount ?? 0;
  const insertedCount = inserted.rowCount ?? 0;
  return {
    received: step.received,
    inserted: insertedCount,
    revised: revisedCount,
    unchanged: staged - revisedCount - insertedCount,
    quarantined: step.rejected.length,
    redescribed: redescribed.rowCount ?? 0,
  };
}

/**
 * Whether a fetch's responses go into the archive: only when they changed raw.eia_observations
 * (a new row, a revised value or new descriptive facets). A re-fetch that changes nothing, like
 * the look-back of a rerun or the same answer to the same request, adds no archive row: replaying
 * the archive applies the responses that changed something in the order they did, which rebuilds
 * every value and revision, and a response that changed nothing would replay as a no-op. The
 * re-fetch itself stays on record in its batch (ops.ingestion_batches: when, the range, the counts,
 * and the body hashes received). Rejected rows are kept in ops.quarantine with their payload.
 */
function archivable(counts: StepCounts): boolean {
  return counts.inserted + counts.revised + counts.redescribed > 0;
}

/** Writes the batch in one transaction and marks it succeeded; returns its counts. */
export async function commitEiaBatch(pool: pg.Pool, options: CommitOptions): Promise<BatchCounts> {
  const { batchId, series } = options;
  return withTransaction(pool, async (client) => {
    await client.query(
      `CREATE TEMP TABLE eia_stage (
         series_id text NOT NULL, frequency text NOT NULL, period text NOT NULL, period_start date NOT NULL,
         value numeric, units text, route text NOT NULL, facets jsonb NOT NULL
       ) ON COMMIT DROP`,
    );
    const counts = emptyCounts();
    let changed = false;
    let lastPeriod: string | undefined;
    for (const step of options.steps) {
      const c = await applyStep(client, batchId, step);
      changed ||= archivable(c);
      counts.received += c.received;
      counts.inserted += c.inserted;
      counts.revised += c.revised;
      counts.unchanged += c.unchanged;
      counts.quarantined += c.quarantined;
      await quarantine(client, batchId, 'eia', series.id, step.rejected);
      for (const o of step.valid)
        if (lastPeriod === undefined || o.period > lastPeriod) lastPeriod = o.period;
    }
    const archived = changed ? options.pages : [];
    for (const page of archived) {
      await client.query(
        `INSERT INTO raw.eia_responses (batch_id, route, params, http_status, body, body_hash, row_count, fetched_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          batchId,
          page.route,
          JSON.stringify(page.params),
          page.httpStatus,
          JSON.stringify(sanitizeBody(page.body)),
          page.bodyHash,
          page.rows.length,
          page.fetchedAt,
        ],
      );
    }
    if (options.pages.length) {
      await client.query(
        `UPDATE ops.ingestion_batches SET params = params || $2::jsonb WHERE batch_id = $1`,
        [
          batchId,
          JSON.stringify({
            responses: options.pages.map((p) => p.bodyHash),
            archived_responses: archived.length,
          }),
        ],
      );
    }
    if (lastPeriod !== undefined) {
      // periods of one frequency order as text; a backfill of old periods never moves it back
      await advanceWatermark(client, 'eia', series.id, lastPeriod, batchId);
    }
    await finishBatch(client, batchId, counts, options.warnings);
    await options.beforeCommit?.();
    return counts;
  });
}
