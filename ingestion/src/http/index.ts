/**
 * Shared HTTP plumbing for the ingestion clients (EIA, GL). The whole API:
 *
 * - `fetchWithRetry(url, options)` → `{ status, headers, body, attempts }`: per-attempt timeout
 *   (AbortSignal), exponential backoff with jitter (p-retry), 408/429/5xx/network/body-read
 *   errors retried honouring Retry-After, other 4xx thrown at once. See ./fetch.ts.
 * - throws `HttpError` (../load/errors.ts: status, retryable, redacted url, body snippet, retryAfterMs).
 * - `createThrottle(requestsPerSecond)`: pass as `options.throttle` to stay under a rate limit.
 * - helper: `parseRetryAfter`. Errors, their classification and the retry engine live in
 *   ../load/errors.ts and ../load/retry.ts; redaction in core/redact.ts.
 */
export {
  DEFAULT_RETRY,
  fetchWithRetry,
  parseRetryAfter,
  type FetchResult,
  type FetchWithRetryOptions,
  type RetryOptions,
} from './fetch.ts';
export { createThrottle, type Throttle } from './throttle.ts';
