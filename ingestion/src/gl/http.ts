/**
 * HTTP for the GL client: bearer token, timeouts (time to headers and idle time between body
 * chunks), and retries with exponential backoff and jitter on network errors, 408/429/5xx
 * (honouring Retry-After). Other 4xx fail at once: asking again would not change the answer.
 *
 * Small JSON documents (reference data) go through the shared `fetchWithRetry`
 * (../http/fetch.ts). Long streamed bodies (NDJSON backfill, SSE) cannot: their attempt is the
 * whole load, it must resume where it stopped rather than start over, and it needs an idle
 * timeout between chunks rather than one for the whole body. `GlHttp.open` + `withRetry` do
 * that, with the shared error family and retry engine (../load/errors.ts, ../load/retry.ts).
 */
import type { Logger } from '../../../core/logger.ts';
import { scrub } from '../../../core/redact.ts';
import { fetchWithRetry, parseRetryAfter } from '../http/index.ts';
import { HttpError, isRetryableStatus, TimeoutError } from '../load/errors.ts';
import { DEFAULT_RETRY as SHARED_DEFAULT_RETRY, retrying, type RetryPolicy } from '../load/retry.ts';

export type { RetryPolicy };

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
   * attempt gets its number (1-based) so it can resume where the previous one stopped;
   * `progressed` says whether the failed attempt got further than the one before, which starts
   * the retry budget over (see RetryRun.progressed).
   */
  async withRetry<T>(
    what: string,
    attempt: (n: number) => Promise<T>,
    signal?: AbortSignal,
    progressed?: () => boolean,
  ): Promise<T> {
    // a stream must keep trying: a long Retry-After is shortened, not a reason to give up
    return retrying(attempt, {
      label: what,
      policy: this.retry,
      signal,
      log: this.log,
      secrets: [this.token],
      longRetryAfter: 'cap',
      progressed,
    });
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
