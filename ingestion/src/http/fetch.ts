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
 * - Backoff is exponential with jitter (p-retry: minDelayMs * factor^n, times a random 1..2,
 *   capped at maxDelayMs). Tests pass tiny delays.
 * - URLs in logs and errors go through `redactUrl`, and every string in `secrets` is removed
 *   from error messages, so credentials never reach a log line.
 */
import pRetry, { AbortError } from 'p-retry';
import { redactUrl, type Logger } from '../../../core/logger.ts';
import type { Throttle } from './throttle.ts';

export interface RetryOptions {
  /** Retries after the first attempt. Default 5. */
  retries?: number;
  /** Delay before the first retry, ms. Default 500. */
  minDelayMs?: number;
  /** Cap of one backoff delay, ms. Default 30 000. */
  maxDelayMs?: number;
  /** Growth of the delay per retry. Default 2. */
  factor?: number;
  /** Longest `Retry-After` honoured, ms; a longer one fails the request at once. Default 120 000. */
  maxRetryAfterMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  retries: 5,
  minDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  maxRetryAfterMs: 120_000,
};

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

export class HttpError extends Error {
  override readonly name = 'HttpError';
  /** HTTP status when the server answered. */
  readonly status: number | undefined;
  readonly retryable: boolean;
  /** The request URL with credentials redacted. */
  readonly url: string | undefined;
  /** Start of the response body (credentials scrubbed), for non-2xx answers. */
  readonly body: string | undefined;
  /** Parsed `Retry-After`, ms. */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: {
      status?: number;
      retryable?: boolean;
      url?: string;
      body?: string;
      retryAfterMs?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.url = options.url;
    this.body = options.body;
    this.retryAfterMs = options.retryAfterMs;
  }
}

const RETRYABLE_STATUS = new Set([408, 429]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status) || (status >= 500 && status <= 599);
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Removes every secret and every credential-looking query parameter from a message. */
export function scrub(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(/\b(api_key|apikey|token|access_token)=[^&\s"']+/gi, '$1=redacted');
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
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
  const retry = { ...DEFAULT_RETRY, ...options.retry };
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
        throw retryable ? error : new AbortError(error);
      }
      const body = await read(response);
      return { status: response.status, headers: response.headers, body, attempts };
    } catch (error) {
      if (error instanceof AbortError) throw error;
      if (options.signal?.aborted) throw new AbortError(options.signal.reason as Error);
      if (error instanceof HttpError) {
        if (!error.retryable) throw new AbortError(error);
        throw error;
      }
      // network error, timeout, truncated body, malformed JSON: all transient
      throw new HttpError(scrub(`${label}: ${describe(error)}`, secrets), {
        retryable: true,
        url: safeUrl,
        cause: error,
      });
    }
  };

  try {
    return await pRetry(attempt, {
      retries: retry.retries,
      minTimeout: retry.minDelayMs,
      maxTimeout: retry.maxDelayMs,
      factor: retry.factor,
      randomize: true,
      signal: options.signal,
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        const retryAfterMs = error instanceof HttpError ? error.retryAfterMs : undefined;
        if (retriesLeft > 0) {
          options.log?.warn(
            { url: safeUrl, attempt: attemptNumber, retriesLeft, retryAfterMs, err: error.message },
            `${label}: attempt ${attemptNumber} failed (${error.message}); retrying`,
          );
        }
        if (retryAfterMs !== undefined && retriesLeft > 0) {
          if (retryAfterMs > retry.maxRetryAfterMs) {
            throw new HttpError(
              `${label}: server asked to retry after ${Math.round(retryAfterMs / 1000)} s, more than the ${Math.round(retry.maxRetryAfterMs / 1000)} s allowed`,
              { status: error instanceof HttpError ? error.status : undefined, url: safeUrl, retryAfterMs },
            );
          }
          await sleep(retryAfterMs, options.signal);
        }
      },
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
