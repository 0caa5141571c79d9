/**
 * One HTTP request with a per-attempt timeout and retries, shared by the EIA and GL clients.
 *
 *   const { body } = await fetchWithRetry(url, { timeoutMs: 10_000, retry: { retries: 4 }, log });
 *
 * - Every attempt runs under `AbortSignal.timeout(timeoutMs)`, covering the response headers AND
 *   the body (`read`), so a server that stalls mid-body is retried like one that never answers.
 * - Retried: network errors, timeouts, HTTP 408/429/5xx, and any error thrown while reading or
 *   parsing the body (`read`: truncated body, malformed JSON). `Retry-After` (seconds or an
 *   HTTP date) is honoured: the attempt waits for it, then for the usual backoff.
 * - Not retried: every other non-2xx status (thrown at once as a non-retryable `HttpError`), an
 *   `HttpError` with `retryable: false` thrown by `read`, and the caller's `signal` aborting.
 * - Retries, backoff and the retryable/not decision are the shared engine's (../load/retry.ts,
 *   ../load/errors.ts). Tests pass tiny delays.
 * - URLs in logs and errors go through `redactUrl`, and every string in `secrets` is removed
 *   from error messages, so credentials never reach a log line.
 */
import type { Logger } from '../../../core/logger.ts';
import { redactUrl, scrub } from '../../../core/redact.ts';
import { HttpError, isRetryableStatus } from '../load/errors.ts';
import { DEFAULT_RETRY, retrying, type RetryPolicy } from '../load/retry.ts';
import type { Throttle } from './throttle.ts';

/** Retry settings of one request (defaults: DEFAULT_RETRY of ../load/retry.ts). */
export type RetryOptions = Partial<RetryPolicy>;
export { DEFAULT_RETRY };

export interface FetchWithRetryOptions<T> {
  /** method, headers, body... (the signal is managed here). Default GET. */
  init?: Omit<RequestInit, 'signal'>;
  /** Per-attempt budget for headers + body, ms. Default 30 000. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Cancels the request and any pending retry. */
  signal?: AbortSignal;
  /** Awaited before every attempt (retries included), to stay under a server's rate limit. */
  throttle?: Throttle;
  /** Retries are logged at warn level. */
  log?: Logger;
  /** Short description for logs and errors, e.g. 'EIA petroleum/pri/spt page 2'. */
  label?: string;
  /**
   * Reads the body of a 2xx response; runs inside the attempt, so whatever it throws (a
   * truncated body, invalid JSON, an unexpected shape) is retried. Throw an `HttpError` with
   * `retryable: false` to stop. Default: `response.text()`.
   */
  read?: (response: Response) => Promise<T>;
  /** Strings (API keys, tokens) scrubbed from every error message. */
  secrets?: readonly (string | undefined)[];
}

export interface FetchResult<T> {
  status: number;
  headers: Headers;
  body: T;
  /** Attempts made, 1 when the first one succeeded. */
  attempts: number;
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out';
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** Performs a request with timeout, retries and backoff; see the module comment. */
export async function fetchWithRetry<T = string>(
  url: string | URL,
  options: FetchWithRetryOptions<T> = {},
): Promise<FetchResult<T>> {
  const href = String(url);
  const safeUrl = redactUrl(href);
  const secrets = options.secrets ?? [];
  const label = options.label ?? `${options.init?.method ?? 'GET'} ${safeUrl}`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retry = options.retry;
  const read = options.read ?? ((response: Response) => response.text() as Promise<T>);
  let attempts = 0;

  const attempt = async (): Promise<FetchResult<T>> => {
    await options.throttle?.wait(options.signal);
    attempts += 1;
    const signal = options.signal
      ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(href, { ...options.init, signal });
      if (!response.ok) {
        const text = scrub((await response.text().catch(() => '')).slice(0, 500), secrets);
        const retryable = isRetryableStatus(response.status);
        const error = new HttpError(
          scrub(`${label}: HTTP ${response.status}${text ? ` ${text}` : ''}`, secrets),
          {
            status: response.status,
            retryable,
            url: safeUrl,
            body: text,
            retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
          },
        );
        throw error;
      }
      const body = await read(response);
      return { status: response.status, headers: response.headers, body, attempts };
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (error instanceof HttpError) throw error;
      // network error, timeout, truncated body, malformed JSON: all transient
      throw new HttpError(scrub(`${label}: ${describe(error)}`, secrets), {
        retryable: true,
        url: safeUrl,
        cause: error,
      });
    }
  };

  try {
    return await retrying(attempt, {
      label,
      policy: retry,
      signal: options.signal,
      log: options.log,
      secrets,
    });
  } catch (error) {
    if (error instanceof HttpError && error.retryable) {
      // retries exhausted: keep the last cause, say how often it was tried
      throw new HttpError(`${error.message} (gave up after ${attempts} attempts)`, {
        status: error.status,
        retryable: false,
        url: safeUrl,
        body: error.body,
        retryAfterMs: error.retryAfterMs,
        cause: error.cause ?? error,
      });
    }
    throw error;
  }
}
