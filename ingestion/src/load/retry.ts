/**
 * The one retry engine of ingestion, on p-retry: the EIA and GL HTTP requests, a resumable GL
 * backfill (each attempt resumes from the last committed point), and the live-stream follower
 * (which retries forever) all go through `retrying`.
 *
 * - What is retried is decided by `isRetryable` (./errors.ts), nowhere else.
 * - The delay is exponential with jitter, capped: a random value in [ceiling/2, ceiling] where
 *   ceiling = min(maxDelayMs, minDelayMs * factor^(attempt-1)); jitter holds at the cap too, so
 *   clients that failed together do not retry together.
 * - A `Retry-After` the server sent replaces the backoff; one longer than maxRetryAfterMs fails at
 *   once (`longRetryAfter: 'fail'`, for requests) or is shortened to it (`'cap'`, for streams).
 * - `retries` is a budget of consecutive failures without progress: a resumable attempt that moved
 *   forward before it failed (`progressed`) starts the budget and the backoff over, so a long
 *   backfill with sporadic faults is not failed by faults an hour apart (chaos finding, ADR 20).
 *   p-retry's own count cannot be reset, so it is given Infinity and the budget is kept here.
 */
import pRetry from 'p-retry';
import type { Logger } from '../../../core/logger.ts';
import { scrub } from '../../../core/redact.ts';
import { errorMessage, HttpError, IngestError, isRetryable } from './errors.ts';

export interface RetryPolicy {
  /** Retries after the first attempt (Infinity: never give up). */
  retries: number;
  /** Ceiling of the first retry's delay, ms. */
  minDelayMs: number;
  /** Cap of one delay, ms. */
  maxDelayMs: number;
  /** Growth of the ceiling per retry. */
  factor: number;
  /** Longest Retry-After honoured, ms. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  retries: 5,
  minDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  maxRetryAfterMs: 120_000,
};

export interface RetryFailure {
  error: unknown;
  /** The attempt that failed, 1-based. */
  attempt: number;
  /** Wait before the next attempt, ms. */
  delayMs: number;
}

export interface RetryRun {
  /** For logs and errors, e.g. 'GL backfill 2024-01-01..2024-12-31'. */
  label: string;
  policy?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  /** Each retry is logged at warn level; leave out to log nothing (the caller reports). */
  log?: Logger;
  /** Strings scrubbed from logged messages. */
  secrets?: readonly (string | undefined)[];
  longRetryAfter?: 'fail' | 'cap';
  /** Told before each wait. */
  onRetry?: (failure: RetryFailure) => void;
  /**
   * Asked after each failed attempt: did it get further than the attempt before it (for the GL
   * backfill: a complete day committed)? When it did, the failure does not count against
   * `retries`; it starts the budget over. Leave out for requests, whose attempts never progress.
   */
  progressed?: () => boolean;
}

export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * policy.factor ** (attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `attempt` (given its 1-based number, so it can resume) until it succeeds, a failure is
 * not retryable, the retries run out (the last error is thrown) or `signal` aborts.
 */
export async function retrying<T>(attempt: (n: number) => Promise<T>, run: RetryRun): Promise<T> {
  const policy = { ...DEFAULT_RETRY, ...run.policy };
  // p-retry never retries a TypeError it does not know as a network error; fetch's 'terminated'
  // (a body cut mid-transfer) is one we do retry, so it travels wrapped
  const guarded = async (n: number): Promise<T> => {
    try {
      return await attempt(n);
    } catch (error) {
      if (error instanceof TypeError && isRetryable(error))
        throw new IngestError(error.message, { retryable: true, cause: error });
      throw error;
    }
  };
  /** Failures since the last attempt that made progress: what `retries` limits. */
  let stalled = 0;
  return pRetry(guarded, {
    retries: Infinity,
    // the delay is ours (backoffDelay, waited in onFailedAttempt): p-retry's own wait is zero
    minTimeout: 0,
    factor: 1,
    signal: run.signal,
    shouldRetry: ({ error }) => isRetryable(error) && !run.signal?.aborted,
    onFailedAttempt: async ({ error, attemptNumber }) => {
      if (!isRetryable(error) || run.signal?.aborted) return;
      stalled = run.progressed?.() ? 1 : stalled + 1;
      const retriesLeft = policy.retries - (stalled - 1);
      // the budget is spent: throwing here ends p-retry with this attempt's error
      if (retriesLeft <= 0) throw error;
      const retryAfterMs = error instanceof HttpError ? error.retryAfterMs : undefined;
      if (
        retryAfterMs !== undefined &&
        retryAfterMs > policy.maxRetryAfterMs &&
        run.longRetryAfter !== 'cap'
      ) {
        throw new HttpError(
          `${run.label}: server asked to retry after ${Math.round(retryAfterMs / 1000)} s, more than the ${Math.round(policy.maxRetryAfterMs / 1000)} s allowed`,
          { status: (error as HttpError).status, url: (error as HttpError).url, retryAfterMs, cause: error },
        );
      }
      const delayMs = backoffDelay(policy, stalled, retryAfterMs);
      run.onRetry?.({ error, attempt: attemptNumber, delayMs });
      run.log?.warn(
        {
          what: run.label,
          attempt: attemptNumber,
          retriesLeft,
          delayMs,
          err: scrub(errorMessage(error), run.secrets),
        },
        `${run.label}: attempt ${attemptNumber} failed (${scrub(errorMessage(error), run.secrets)}); retrying`,
      );
      await sleep(delayMs, run.signal);
    },
  });
}
