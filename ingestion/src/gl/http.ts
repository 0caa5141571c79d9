/**
 * HTTP for the GL client: bearer token, timeouts (time to headers and idle time between body
 * chunks), and retries with exponential backoff and jitter on network errors, 408/429/5xx
 * (honouring Retry-After). Other 4xx fail at once: asking again would not change the answer.
 *
 * Small JSON documents (reference data) go through the shared `fetchWithRetry`
 * (../http/fetch.ts). Long streamed bodies (NDJSON backfill, SSE) cannot: their attempt is the
 * whole load, it must resume where it stopped rather than start over, and it needs an idle
 * timeout between chunks rather than one for the whole body. `GlHttp.open` + `withRetry` do
 * that, with the shared module's HttpError, Retry-After parsing and status classification.
 */
import {
  DEFAULT_RETRY as SHARED_DEFAULT_RETRY,
  fetchWithRetry,
  HttpError,
  isRetryableStatus,
  parseRetryAfter,
  scrub,
  sleep,
  type RetryOptions,
} from '../http/index.ts';
import type { Logger } from '../../../core/logger.ts';

/**
 * The shared retry settings, with one difference in meaning: a Retry-After longer than
 * maxRetryAfterMs is capped here (a stream must keep trying), where fetchWithRetry gives up.
 */
export type RetryPolicy = Required<RetryOptions>;

/** More retries than the shared default: a backfill attempt resumes, so retrying is cheap. */
export const DEFAULT_RETRY: RetryPolicy = { ...SHARED_DEFAULT_RETRY, retries: 8 };

export interface GlHttpOptions {
  baseUrl: string;
  token?: string | undefined;
  /** Time allowed until the response headers arrive. */
  requestTimeoutMs?: number;
  /** Time allowed between two chunks of a response body. */
  idleTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  log: Logger;
}

/** A body that ended before it was complete (connection dropped, last line cut). */
export class TruncatedBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TruncatedBodyError';
  }
}

export class TimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}

/** Whether asking again may succeed. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof HttpError) return error.retryable;
  if (error instanceof TruncatedBodyError || error instanceof TimeoutError) return true;
  if (error instanceof SyntaxError) return true; // a JSON page cut or garbled in transit
  if (error instanceof Error && error.name === 'AbortError') return false; // our caller gave up
  // fetch reports network failures as TypeError('fetch failed') with a cause, and a body cut
  // mid-transfer as TypeError('terminated'); both are transient.
  if (error instanceof TypeError) return /fetch failed|terminated|network|socket/i.test(error.message);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(E[A-Z]{4,}|UND_ERR_[A-Z_]+)$/.test(code);
}

export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * policy.factor ** (attempt - 1));
  // jitter: spreads clients that failed together so they do not retry together
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

export interface StreamedResponse {
  response: Response;
  /** The body's chunks; an idle gap longer than idleTimeoutMs aborts it with a TimeoutError. */
  chunks(): AsyncGenerator<Uint8Array>;
  /** Stops reading and releases the connection. */
  close(): void;
}

export class GlHttp {
  readonly baseUrl: string;
  readonly retry: RetryPolicy;
  readonly requestTimeoutMs: number;
  readonly idleTimeoutMs: number;
  private readonly token: string | undefined;
  private readonly log: Logger;

  constructor(options: GlHttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.log = options.log;
  }

  url(path: string, query: Record<string, string | number | undefined> = {}): string {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(key, String(value));
    return url.toString();
  }

  /**
   * Sends one GET and returns once the headers arrived with a 2xx status; throws
   * HttpError otherwise. The body is read through the returned handle.
   */
  async open(
    path: string,
    options: {
      query?: Record<string, string | number | undefined>;
      accept: string;
      headers?: Record<string, string>;
      signal?: AbortSignal;
      idleTimeoutMs?: number;
    },
  ): Promise<StreamedResponse> {
    const controller = new AbortController();
    const outer = options.signal;
    const onOuterAbort = () => controller.abort(outer!.reason);
    if (outer?.aborted) controller.abort(outer.reason);
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    const headers: Record<string, string> = { accept: options.accept, ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let timedOut = false;
    let timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new TimeoutError(`no response within ${this.requestTimeoutMs} ms`));
    }, this.requestTimeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    };
    let response: Response;
    try {
      response = await fetch(this.url(path, options.query), { headers, signal: controller.signal });
    } catch (error) {
      cleanup();
      if (timedOut) throw new TimeoutError(`GET ${path}: no response within ${this.requestTimeoutMs} ms`);
      throw error;
    }
    clearTimeout(timer);
    if (!response.ok) {
      cleanup();
      const text = await response.text().catch(() => '');
      throw new HttpError(scrub(`GET ${path}: HTTP ${response.status} ${text.slice(0, 300)}`, [this.token]), {
        status: response.status,
        retryable: isRetryableStatus(response.status),
        url: path,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      });
    }
    const idleMs = options.idleTimeoutMs ?? this.idleTimeoutMs;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      if (!response.body) return;
      const reader = response.body.getReader();
      try {
        for (;;) {
          timedOut = false;
          timer = setTimeout(() => {
            timedOut = true;
            controller.abort(new TimeoutError(`no data for ${idleMs} ms`));
          }, idleMs);
          let result: Awaited<ReturnType<typeof reader.read>>;
          try {
            result = await reader.read();
          } catch (error) {
            if (timedOut) throw new TimeoutError(`GET ${path}: body idle for more than ${idleMs} ms`);
            throw error;
          } finally {
            clearTimeout(timer);
          }
          if (result.done) return;
          yield result.value;
        }
      } finally {
        cleanup();
        reader.releaseLock();
        if (!controller.signal.aborted) controller.abort();
      }
    }
    return {
      response,
      chunks,
      close: () => {
        cleanup();
        if (!controller.signal.aborted) controller.abort();
      },
    };
  }

  /**
   * Runs `attempt` until it succeeds, retrying what isRetryable() allows with backoff. The
   * attempt gets its number (1-based) so it can resume where the previous one stopped.
   */
  async withRetry<T>(what: string, attempt: (n: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt(n);
      } catch (error) {
        if (signal?.aborted || !isRetryable(error) || n > this.retry.retries) throw error;
        const delay = backoffDelay(
          this.retry,
          n,
          error instanceof HttpError ? error.retryAfterMs : undefined,
        );
        this.log.warn(
          {
            what,
            attempt: n,
            delayMs: delay,
            err: scrub(error instanceof Error ? error.message : String(error), [this.token]),
          },
          `${what} failed; retrying`,
        );
        await sleep(delay, signal);
      }
    }
  }

  /** GET a small JSON document through the shared fetchWithRetry. */
  async getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const { body } = await fetchWithRetry<T>(this.url(path), {
      init: { headers },
      timeoutMs: this.requestTimeoutMs,
      retry: this.retry,
      signal,
      log: this.log,
      label: `GL GET ${path}`,
      read: async (response) => JSON.parse(await response.text()) as T,
      secrets: [this.token],
    });
    return body;
  }
}
