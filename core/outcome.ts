/**
 * What every unit of work returns: ingestion entry points, pipeline tasks and DBOS workflow
 * steps. Plain JSON, so DBOS can record it as a step's result and the status page can show it.
 *
 * The failure rule, the same for every source and task: a unit that could not do its job (a failed
 * EIA series, a failed GL chunk, a failed dbt node, an error-severity check) returns
 * `status: 'failed'`; it throws only for a bug or an unusable precondition (bad options, no
 * database), which the caller reports the same way.
 */
export type OutcomeStatus = 'ok' | 'warn' | 'failed';

export interface Outcome {
  /** ok: did its job; warn: did it, with something a person should look at; failed: did not. */
  status: OutcomeStatus;
  /** What it did, as numbers: rows loaded, series failed, models built, checks warned… */
  counts: Record<string, number>;
  durationMs: number;
  /** One line a person reads; counts are already in it. */
  message: string;
  /** Structured detail (ranges, failed series, check names), JSON-serializable only. */
  details?: Record<string, unknown>;
}

const RANK: Record<OutcomeStatus, number> = { ok: 0, warn: 1, failed: 2 };

/** The status of several outcomes together: the worst of them. */
export function worstStatus(statuses: Iterable<OutcomeStatus>): OutcomeStatus {
  let worst: OutcomeStatus = 'ok';
  for (const status of statuses) if (RANK[status] > RANK[worst]) worst = status;
  return worst;
}

/** Runs `work` and times it; `work` returns everything but the duration. */
export async function timed(work: () => Promise<Omit<Outcome, 'durationMs'>>): Promise<Outcome> {
  const started = performance.now();
  const outcome = await work();
  return { ...outcome, durationMs: Math.round(performance.now() - started) };
}
