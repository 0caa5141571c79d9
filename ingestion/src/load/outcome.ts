/**
 * The failure rule every ingestion entry point applies to its Outcome (core/outcome.ts), the
 * same for EIA and GL:
 *   failed — a unit could not do its job (a series, a chunk, the stream): its error is in `message`;
 *   warn   — it did, but records were quarantined or the source warned;
 *   ok     — everything received was loaded or already stored.
 * Errors are returned, not thrown; an entry point throws only for invalid options (a bug of the caller).
 */

import type pg from 'pg';
import type { Logger } from '../../../core/logger.ts';
import type { OutcomeStatus } from '../../../core/outcome.ts';
import type { BatchCounts } from './batches.ts';

/**
 * What every ingestion entry point, `(deps, options) => Promise<Outcome>`, gets from its caller
 * (sources add their own clients): a pool logged in as (or set to) the loader role, which the
 * caller owns and ends; a logger; a signal that stops the load after its current batch.
 */
export interface IngestDeps {
  pool: pg.Pool;
  log: Logger;
  signal?: AbortSignal;
}

export function loadStatus(result: {
  failed: boolean;
  counts: BatchCounts;
  warnings?: number;
}): OutcomeStatus {
  if (result.failed) return 'failed';
  return result.counts.quarantined > 0 || (result.warnings ?? 0) > 0 ? 'warn' : 'ok';
}

/** Batch counts as Outcome counts, plus any extra figures. */
export function loadCounts(counts: BatchCounts, extra: Record<string, number> = {}): Record<string, number> {
  return { ...counts, ...extra };
}
