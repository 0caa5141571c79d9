/**
 * Shared HTTP plumbing for the ingestion clients (EIA, GL). The whole API:
 *
 * - `fetchWithRetry(url, options)` → `{ status, headers, body, attempts }`: per-attempt timeout
 *   (AbortSignal), exponential backoff with jitter (p-retry), 408/429/5xx/network/body-read
 *   errors retried honouring Retry-After, other 4xx thrown at once. See ./fetch.ts.
 * - `HttpError` (status, retryable, redacted url, body snippet, retryAfterMs): what it throws.
 * - `createThrottle(requestsPerSecond)`: pass as `options.throttle` to stay under a rate limit.
 * - helpers: `parseRetryAfter`, `isRetryableStatus`, `scrub` (removes secrets from text), `sleep`.
 */
export {
  DEFAULT_RETRY,
  fetchWithRetry,
  HttpError,
  isRetryableStatus,
  parseRetryAfter,
  scrub,
  sleep,
  type FetchResult,
  type FetchWithRetryOptions,
  type RetryOptions,
} from './fetch.ts';
export { createThrottle, type Throttle } from './throttle.ts';
