/**
 * The ingestion error family, and the one place that decides what is worth retrying.
 *
 *   IngestError            root: every failure the loaders raise on purpose; `retryable` says
 *   ├─ HttpError           the server answered non-2xx (retryable for 408/429/5xx) or the request failed
 *   ├─ TimeoutError        no response, or a body idle for too long (retryable)
 *   ├─ TruncatedBodyError  a body that ended before it was complete (retryable)
 *   ├─ StreamEndedError    a live stream the server closed (retryable: reconnect)
 *   ├─ DatabaseError       a load that failed in the database (retryable when the connection was lost)
 *   ├─ LockLostError       a session lock (ingest, executor) went to another process while this one reconnected
 *   └─ SourceError         the source answered, but not what its contract promises (EIA's EiaError)
 *
 * `isRetryable` also classifies what is not ours: fetch's network TypeErrors, Node socket
 * codes, pg's connection-loss errors, a JSON body cut in transit.
 */

export interface IngestErrorOptions {
  retryable?: boolean;
  cause?: unknown;
}

export class IngestError extends Error {
  readonly retryable: boolean;
  constructor(message: string, options: IngestErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? false;
  }
}

export class HttpError extends IngestError {
  /** HTTP status when the server answered. */
  readonly status: number | undefined;
  /** The request URL with credentials redacted. */
  readonly url: string | undefined;
  /** Start of the response body (credentials scrubbed), for non-2xx answers. */
  readonly body: string | undefined;
  /** Parsed `Retry-After`, ms. */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: IngestErrorOptions & {
      status?: number;
      url?: string;
      body?: string;
      retryAfterMs?: number;
    } = {},
  ) {
    super(message, options);
    this.status = options.status;
    this.url = options.url;
    this.body = options.body;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export class TimeoutError extends IngestError {
  constructor(message: string) {
    super(message, { retryable: true });
  }
}

export class TruncatedBodyError extends IngestError {
  constructor(message: string) {
    super(message, { retryable: true });
  }
}

export class StreamEndedError extends IngestError {
  constructor(message = 'the stream closed') {
    super(message, { retryable: true });
  }
}

/** A database failure while loading. Never retried by the HTTP layer's own rules: a lost connection is retried, anything else is not. */
export class DatabaseError extends IngestError {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), {
      cause,
      retryable: isConnectionLost(cause),
    });
  }
}

export class LockLostError extends IngestError {}

/** The source answered, but not as its contract says (a 4xx with a reason, a page count that changed). */
export class SourceError extends IngestError {}

const RETRYABLE_STATUS = new Set([408, 429]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status) || (status >= 500 && status <= 599);
}

/**
 * Whether an error means the database connection went away (the server restarted, the backend
 * was terminated, the network dropped) rather than that the statement was wrong. SQLSTATE class
 * 08 is "connection exception", 57P01-57P03 are shutdown / terminated backend / starting up.
 */
export function isConnectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (/^08/.test(code) || /^57P0[123]$/.test(code)) return true;
    if (/^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)$/.test(code))
      return true;
  }
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|server closed the connection unexpectedly|terminating connection/i.test(
    message,
  );
}

/** Whether asking again may succeed: the one classification every retry in ingestion uses. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof IngestError) return error.retryable;
  if (error instanceof SyntaxError) return true; // a JSON body cut or garbled in transit
  if (error instanceof Error && error.name === 'AbortError') return false; // our caller gave up
  if (error instanceof Error && error.name === 'TimeoutError') return true; // AbortSignal.timeout
  // fetch reports network failures as TypeError('fetch failed') with a cause, and a body cut
  // mid-transfer as TypeError('terminated'); both are transient.
  if (error instanceof TypeError) return /fetch failed|terminated|network|socket/i.test(error.message);
  if (isConnectionLost(error)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(E[A-Z]{4,}|UND_ERR_[A-Z_]+)$/.test(code);
}

/** The message of any thrown value. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
