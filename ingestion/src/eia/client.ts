/**
 * EIA Open Data API v2 client, written against ../shared/data/eia/README.md:
 * - `GET <route>/data/` with frequency, data[0]=value, facets[series][], start/end in the
 *   frequency's format, an explicit sort on period and offset/length pages of 5,000 rows until
 *   offset >= total; the rows received must add up to `total`, otherwise the fetch fails.
 * - `total`/`offset`/`length` are accepted as strings or integers; rows are kept exactly as
 *   received (all strings, value possibly null) and typed by `parseObservation`.
 * - Requests go through the shared fetchWithRetry (timeouts, backoff with jitter, 429/5xx and
 *   network retries honouring Retry-After, other 4xx final) behind a throttle under EIA's burst
 *   limit of 5 requests per second.
 * - The key travels only as the `api_key` query parameter; it is scrubbed from every error and
 *   never part of logged or archived parameters.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../../../core/logger.ts';
import { scrub } from '../../../core/redact.ts';
import { createThrottle, fetchWithRetry, type RetryOptions, type Throttle } from '../http/index.ts';
import { HttpError, IngestError, isRetryableStatus, SourceError } from '../load/errors.ts';
import type { EiaFrequency, EiaSeries } from './catalog.ts';
import { isValidPeriod, periodStart } from './periods.ts';
import { EIA_MAX_ROWS, encodeDataQuery, type EiaDataQuery } from './query.ts';

export const LIVE_EIA_BASE_URL = 'https://api.eia.gov/v2';
export const EIA_PAGE_SIZE = EIA_MAX_ROWS;

/** A data row as EIA sends it: every field a string, `value` possibly null. */
export type EiaRow = Record<string, unknown>;

/** Request parameters as archived: the query without the key. */
/** The query of one data request (declared once, in ./query.ts). */
export type EiaRequestParams = EiaDataQuery;

export interface EiaPage {
  route: string;
  params: EiaRequestParams;
  httpStatus: number;
  /** The parsed response body, archived as is. */
  body: unknown;
  /** sha256 of the body text as received. */
  bodyHash: string;
  total: number;
  rows: EiaRow[];
  warnings: string[];
  fetchedAt: Date;
}

export interface EiaSeriesFetch {
  series: EiaSeries;
  pages: EiaPage[];
  rows: EiaRow[];
  total: number;
  /** API warnings other than the expected "incomplete return" of a paged request. */
  warnings: string[];
}

export interface EiaObservation {
  seriesId: string;
  frequency: EiaFrequency;
  period: string;
  periodStart: string;
  /** Exact decimal text ("0.833", "-36.98") or null where EIA publishes no value. */
  value: string | null;
  units: string | null;
  route: string;
  /** The row's other fields: duoarea, area-name, product, ..., series-description. */
  facets: Record<string, unknown>;
}

/** A non-retryable EIA answer (403, 400, 404) or a contract violation (rows != total). */
export class EiaError extends SourceError {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Thrown while reading a body that is not an API v2 response; fetchWithRetry retries it. */
class EiaFormatError extends IngestError {
  constructor(message: string) {
    super(message, { retryable: true });
  }
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** An EIA count (`total`, `offset`, `length`): a non-negative integer as a string or a number. */
export function parseCount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) {
    const n = Number(value.trim());
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/**
 * An EIA value as exact decimal text: null stays null, ".833" becomes "0.833", "-36.98" stays.
 * Returns undefined for anything that is not a number ("NA", "W", "", objects).
 */
export function parseEiaValue(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!NUMBER.test(text)) return undefined;
  return text.replace(/^([+-]?)\./, '$10.').replace(/^\+/, '');
}

/** Validates and types one row of `series`; the reason says what is wrong otherwise. */
export function parseObservation(
  row: EiaRow,
  series: EiaSeries,
): { ok: true; observation: EiaObservation } | { ok: false; reason: string } {
  if (typeof row !== 'object' || row === null || Array.isArray(row))
    return { ok: false, reason: 'row is not an object' };
  const { period, value, units, series: seriesId, ...facets } = row;
  if (seriesId !== series.id) {
    return {
      ok: false,
      reason: `series ${JSON.stringify(seriesId)} is not the requested catalog series ${series.id}`,
    };
  }
  if (!isValidPeriod(period, series.frequency)) {
    return { ok: false, reason: `period ${JSON.stringify(period)} is not a ${series.frequency} period` };
  }
  const parsed = parseEiaValue(value);
  if (parsed === undefined)
    return { ok: false, reason: `value ${JSON.stringify(value)} is neither numeric nor null` };
  if (units !== undefined && units !== null && typeof units !== 'string') {
    return { ok: false, reason: `units ${JSON.stringify(units)} is not a string` };
  }
  return {
    ok: true,
    observation: {
      seriesId: series.id,
      frequency: series.frequency,
      period,
      periodStart: periodStart(period, series.frequency),
      value: parsed,
      units: typeof units === 'string' ? units : null,
      route: series.route,
      facets: { series: seriesId, ...facets },
    },
  };
}

/** The parts of an API v2 data response the client relies on; throws on any other shape. */
export function parseDataResponse(json: unknown): { total: number; rows: EiaRow[]; warnings: string[] } {
  const response = (json as { response?: unknown } | null)?.response as
    { total?: unknown; data?: unknown; warnings?: unknown } | undefined;
  if (typeof response !== 'object' || response === null)
    throw new EiaFormatError('body has no "response" object');
  if (!Array.isArray(response.data)) throw new EiaFormatError('response.data is not an array');
  const total = parseCount(response.total);
  if (total === undefined)
    throw new EiaFormatError(`response.total ${JSON.stringify(response.total)} is not a count`);
  const warnings = Array.isArray(response.warnings)
    ? response.warnings.map((w: { warning?: unknown; description?: unknown }) =>
        [w?.warning, w?.description].filter((x) => typeof x === 'string').join(': '),
      )
    : [];
  return { total, rows: response.data as EiaRow[], warnings };
}

/** The query string of a request, key last; `toArchive` is the same without the key. */
export interface EiaClientOptions {
  /** e.g. https://api.eia.gov/v2 or the replay's http://127.0.0.1:8001/v2 */
  baseUrl: string;
  /** Sent as the api_key query parameter when set. */
  apiKey?: string;
  /** Per-request timeout, ms. Default 30 000. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Default 4 (EIA suspends keys bursting at 5/s or more). */
  requestsPerSecond?: number;
  /** Rows per page, at most 5,000 (EIA's limit). */
  pageSize?: number;
  log?: Logger;
  signal?: AbortSignal;
}

export class EiaClient {
  readonly baseUrl: string;
  private readonly apiKey: string | undefined;
  private readonly throttle: Throttle;
  private readonly pageSize: number;

  constructor(private readonly options: EiaClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.throttle = createThrottle(options.requestsPerSecond ?? 4);
    this.pageSize = Math.min(options.pageSize ?? EIA_PAGE_SIZE, EIA_PAGE_SIZE);
  }

  /** Every row of `series` with period in [start, end] (text comparison, as EIA does), all pages. */
  async fetchSeries(
    series: EiaSeries,
    range: { start?: string; end?: string } = {},
  ): Promise<EiaSeriesFetch> {
    const pages: EiaPage[] = [];
    const rows: EiaRow[] = [];
    const warnings = new Set<string>();
    let total: number | undefined;
    let offset = 0;
    do {
      const params: EiaRequestParams = {
        frequency: series.frequency,
        data: ['value'],
        facets: { series: [series.id] },
        ...(range.start ? { start: range.start } : {}),
        ...(range.end ? { end: range.end } : {}),
        sort: [{ column: 'period', direction: 'asc' }],
        offset,
        length: this.pageSize,
      };
      const page = await this.fetchPage(series.route, params, `EIA ${series.id} offset ${offset}`);
      if (total !== undefined && page.total !== total) {
        throw new EiaError(
          `EIA ${series.id}: total changed from ${total} to ${page.total} while paging; run again`,
        );
      }
      total = page.total;
      if (page.rows.length === 0 && offset < total) {
        throw new EiaError(`EIA ${series.id}: empty page at offset ${offset} although total is ${total}`);
      }
      pages.push(page);
      rows.push(...page.rows);
      for (const w of page.warnings) if (!w.startsWith('incomplete return')) warnings.add(w);
      offset += page.rows.length;
      this.options.log?.debug({ series: series.id, offset, total }, 'EIA page received');
    } while (offset < total);
    if (rows.length !== total) {
      throw new EiaError(
        `EIA ${series.id}: received ${rows.length} rows but the API reported a total of ${total}`,
      );
    }
    return { series, pages, rows, total, warnings: [...warnings] };
  }

  /** One data page, retried on transient failures; 4xx become an EiaError with a clear message. */
  async fetchPage(route: string, params: EiaRequestParams, label = `EIA ${route}`): Promise<EiaPage> {
    const url = `${this.baseUrl}/${route}/data/?${encodeDataQuery(params, this.apiKey)}`;
    const result = await this.request(url, label, async (response) => {
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new EiaFormatError(`malformed JSON (${text.length} bytes)`);
      }
      return { body, text, ...parseDataResponse(body) };
    });
    return {
      route,
      params,
      httpStatus: result.status,
      body: result.body.body,
      bodyHash: createHash('sha256').update(result.body.text).digest('hex'),
      total: result.body.total,
      rows: result.body.rows,
      warnings: result.body.warnings,
      fetchedAt: new Date(),
    };
  }

  /** Route metadata (`GET <route>`), facet values (`GET <route>/facet/<id>`), or any other GET. */
  async getJson(path: string, query: Record<string, string> = {}): Promise<unknown> {
    const search = new URLSearchParams(query);
    if (this.apiKey) search.set('api_key', this.apiKey);
    const url = `${this.baseUrl}/${path.replace(/^\/+/, '')}?${search}`;
    const result = await this.request(
      url,
      `EIA ${path}`,
      async (response) => response.json() as Promise<unknown>,
    );
    return result.body;
  }

  private async request<T>(url: string, label: string, read: (response: Response) => Promise<T>) {
    try {
      return await fetchWithRetry(url, {
        label,
        read,
        timeoutMs: this.options.timeoutMs ?? 30_000,
        retry: this.options.retry,
        throttle: this.throttle,
        log: this.options.log,
        signal: this.options.signal,
        secrets: [this.apiKey],
        init: { headers: { accept: 'application/json' } },
      });
    } catch (error) {
      throw this.explain(error, label);
    }
  }

  /** Turns a final HTTP failure into a message an operator can act on, without the key. */
  private explain(error: unknown, label: string): Error {
    if (!(error instanceof HttpError) || error.status === undefined || isRetryableStatus(error.status)) {
      // transient failures that outlived their retries already say what happened and how often
      const message = error instanceof Error ? error.message : String(error);
      return new EiaError(scrub(message, [this.apiKey]));
    }
    let code: string | undefined;
    let detail = error.body ?? '';
    try {
      const parsed = JSON.parse(error.body ?? '') as { error?: unknown; code?: unknown };
      if (typeof parsed.error === 'object' && parsed.error !== null) {
        const nested = parsed.error as { code?: unknown; message?: unknown };
        code = typeof nested.code === 'string' ? nested.code : undefined;
        detail = typeof nested.message === 'string' ? nested.message : detail;
      } else if (typeof parsed.error === 'string') {
        detail = parsed.error;
      }
    } catch {
      // not JSON: keep the text
    }
    let message: string;
    if (error.status === 403) {
      message =
        `${label}: EIA refused the request (HTTP 403${code ? ` ${code}` : ''}: ${detail}). ` +
        (this.apiKey
          ? 'The EIA_API_KEY in use is not valid: set EIA_API_KEY to a key from https://www.eia.gov/opendata/register.php'
          : 'No API key was sent: set EIA_API_KEY (free at https://www.eia.gov/opendata/register.php), or set EIA_REPLAY_DIR / EIA_BASE_URL to use the offline replay');
    } else if (error.status === 404) {
      message = `${label}: EIA has no such route (HTTP 404: ${detail}); check the route in ingestion/src/eia/catalog.ts`;
    } else {
      message = `${label}: EIA rejected the request (HTTP ${error.status}: ${detail})`;
    }
    return new EiaError(scrub(message, [this.apiKey]), error.status, code);
  }
}
