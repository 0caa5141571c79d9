/**
 * Follows the live GL stream (GET /get-gl, Server-Sent Events; every event has an id and a JSON
 * array of lines). Events are micro-batched: a batch is flushed when it holds `flushLines` lines
 * or its first event is `flushMs` old, and its lines, the stream cursor (ops.stream_cursors,
 * stream 'gl') and the batch row commit in one transaction. Every (re)connection sends the
 * last STORED event id as Last-Event-ID, after flushing what was received, so a restart or a
 * dropped connection neither skips nor repeats an event.
 *
 * A follower is a daemon: it retries forever (capped exponential backoff with jitter, cap 60 s
 * by default) whatever is down, the GL service or the database. A flush whose database
 * connection is lost rolls back whole; the events not stored are dropped from memory and asked
 * for again from the stored cursor. Its state (`FollowerStatus`) goes to `onState` on every
 * change, each change is logged once, and an outage longer than `alertAfterMs` (default 10
 * minutes) raises one alert through `onAlert`. Only a failure retrying cannot mend (the service
 * refusing the token, a bug) ends it.
 */
import type pg from 'pg';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { Logger } from '../../../core/logger.ts';
import { addCounts, emptyCounts, type BatchCounts } from '../load/batches.ts';
import { DatabaseError, errorMessage, isRetryable, StreamEndedError } from '../load/errors.ts';
import { retrying, type RetryPolicy } from '../load/retry.ts';
import { GL_STREAM, readStreamCursor, storeStreamCursor } from '../load/watermarks.ts';
import { ChunkBuilder } from './chunk.ts';
import type { GlHttp } from './http.ts';
import { loadLineChunk } from './load-lines.ts';
import type { LineValidator } from './schema.ts';

/** How a follower reconnects: forever, from 0.5 s up to a minute between attempts. */
export const FOLLOW_RETRY: RetryPolicy = {
  retries: Infinity,
  minDelayMs: 500,
  maxDelayMs: 60_000,
  factor: 2,
  maxRetryAfterMs: 60_000,
};
export const DEFAULT_ALERT_AFTER_MS = 10 * 60_000;

/**
 * connecting: opening the first connection; streaming: a connection is open and answering;
 * reconnecting: the service or the database is unreachable, retrying; stopped: ended.
 */
export type FollowerState = 'connecting' | 'streaming' | 'reconnecting' | 'stopped';

/** What the status page shows of a follower (plain JSON). */
export interface FollowerStatus {
  state: FollowerState;
  /** When the state last changed (ISO instant). */
  since: string;
  /** Last event id committed. */
  lastEventId: string | undefined;
  /** When the outage began, while reconnecting. */
  outageSince: string | undefined;
  /** Failed attempts in the current outage. */
  attempts: number;
  lastError: string | undefined;
  /** Whether the current outage has raised its alert. */
  alerted: boolean;
}

export interface FollowerAlert {
  kind: 'gl-follow-outage';
  message: string;
  outageSince: string;
  outageMs: number;
  attempts: number;
  lastError: string | undefined;
}

export interface FollowOptions {
  pool: pg.Pool;
  http: GlHttp;
  log: Logger;
  validate: LineValidator;
  /** Flush when this many lines are pending. Default 5000. */
  flushLines?: number;
  /** Flush when the oldest pending event is this old, ms. Default 1000. */
  flushMs?: number;
  /** A connection silent for this long is dropped and reopened. Default 90 s. */
  idleTimeoutMs?: number;
  /** Reconnection policy; default FOLLOW_RETRY (forever). */
  retry?: Partial<RetryPolicy>;
  /** An outage longer than this raises one alert. Default 10 minutes. */
  alertAfterMs?: number;
  onState?: (status: FollowerStatus) => void;
  onAlert?: (alert: FollowerAlert) => void | Promise<void>;
  /** Stop (after flushing) once this many events were stored. */
  stopAfterEvents?: number;
  signal?: AbortSignal;
  entity?: string;
  onFlush?: (info: {
    batchId: number;
    events: number;
    lastEventId: string | undefined;
    counts: BatchCounts;
  }) => void;
  /** Test hook, see LoadOptions.beforeCommit. */
  beforeCommit?: () => Promise<void>;
}

export interface FollowResult {
  counts: BatchCounts;
  events: number;
  batches: number;
  connections: number;
  lastEventId: string | undefined;
  /** Outages the follower rode out, and how many raised an alert. */
  outages: number;
  alerts: number;
}

/** Keeps the follower's state, logs each change once and raises the outage alert. */
class FollowerMonitor {
  readonly status: FollowerStatus = {
    state: 'connecting',
    since: new Date().toISOString(),
    lastEventId: undefined,
    outageSince: undefined,
    attempts: 0,
    lastError: undefined,
    alerted: false,
  };
  outages = 0;
  alerts = 0;
  private alertTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Logger,
    private readonly alertAfterMs: number,
    private readonly onState: FollowOptions['onState'],
    private readonly onAlert: FollowOptions['onAlert'],
  ) {}

  private change(state: FollowerState): void {
    this.status.state = state;
    this.status.since = new Date().toISOString();
    this.onState?.({ ...this.status });
  }

  streaming(lastEventId: string | undefined): void {
    if (this.status.state === 'streaming') return;
    const outage = this.status.outageSince;
    clearTimeout(this.alertTimer);
    if (outage !== undefined) {
      const seconds = Math.round((Date.now() - Date.parse(outage)) / 1000);
      this.log.info(
        { outageSince: outage, seconds, attempts: this.status.attempts, alerted: this.status.alerted },
        `GL stream back after ${seconds} s and ${this.status.attempts} attempts; catching up from the stored cursor`,
      );
    } else {
      this.log.info(
        { lastEventId: lastEventId ?? null },
        lastEventId ? 'GL stream connected, resuming' : 'GL stream connected',
      );
    }
    Object.assign(this.status, { outageSince: undefined, attempts: 0, lastError: undefined, alerted: false });
    this.change('streaming');
  }

  failed(error: unknown): void {
    this.status.attempts++;
    this.status.lastError = errorMessage(error);
    if (this.status.state === 'reconnecting') {
      this.log.debug(
        { attempt: this.status.attempts, err: this.status.lastError },
        'GL stream still unreachable',
      );
      this.onState?.({ ...this.status });
      return;
    }
    this.outages++;
    this.status.outageSince = new Date().toISOString();
    this.log.warn(
      { err: this.status.lastError, alertAfterS: Math.round(this.alertAfterMs / 1000) },
      'GL stream interrupted; reconnecting until it is back',
    );
    this.change('reconnecting');
    this.alertTimer = setTimeout(() => void this.raiseAlert(), this.alertAfterMs);
    this.alertTimer.unref();
  }

  eventStored(lastEventId: string | undefined): void {
    if (lastEventId !== undefined) this.status.lastEventId = lastEventId;
  }

  private async raiseAlert(): Promise<void> {
    if (this.status.state !== 'reconnecting' || this.status.alerted) return;
    const since = this.status.outageSince!;
    const outageMs = Date.now() - Date.parse(since);
    this.status.alerted = true;
    this.alerts++;
    const alert: FollowerAlert = {
      kind: 'gl-follow-outage',
      message: `GL stream unreachable for ${Math.round(outageMs / 1000)} s (since ${since}, ${this.status.attempts} attempts): ${this.status.lastError ?? 'unknown error'}`,
      outageSince: since,
      outageMs,
      attempts: this.status.attempts,
      lastError: this.status.lastError,
    };
    this.log.error(alert, alert.message);
    this.onState?.({ ...this.status });
    try {
      await this.onAlert?.(alert);
    } catch (error) {
      this.log.error({ err: errorMessage(error) }, 'the GL follow alert could not be delivered');
    }
  }

  stopped(): void {
    clearTimeout(this.alertTimer);
    if (this.status.state !== 'stopped') this.change('stopped');
  }
}

export async function followStream(options: FollowOptions): Promise<FollowResult> {
  const { pool, http, log, validate } = options;
  const flushLines = options.flushLines ?? 5000;
  const flushMs = options.flushMs ?? 1000;
  const entity = options.entity ?? 'stream';
  const policy = { ...FOLLOW_RETRY, ...options.retry };
  const monitor = new FollowerMonitor(
    log,
    options.alertAfterMs ?? DEFAULT_ALERT_AFTER_MS,
    options.onState,
    options.onAlert,
  );
  const result: FollowResult = {
    counts: emptyCounts(),
    events: 0,
    batches: 0,
    connections: 0,
    lastEventId: undefined,
    outages: 0,
    alerts: 0,
  };

  let pending: EventSourceMessage[] = [];
  let pendingLines = 0;
  let flushTimer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  let done = false;

  /** Events of the flush being committed: with `pending` and the stored ones, what counts toward stopAfterEvents. */
  let inFlight = 0;
  /** Once a flush failed, no later one may commit: its cursor would skip the failed events. */
  let flushError: DatabaseError | undefined;
  const flushNow = async () => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (flushError) throw flushError;
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    pendingLines = 0;
    const builder = new ChunkBuilder(validate);
    let lastId: string | undefined;
    for (const event of events) {
      if (event.id) lastId = event.id;
      if (!event.data || event.data.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(event.data);
      } catch (error) {
        builder.add({
          ok: false,
          key: event.id ?? null,
          text: event.data,
          reason: `malformed JSON in event ${event.id ?? '?'}: ${(error as Error).message}`,
        });
        continue;
      }
      const lines = Array.isArray(value) ? value : [value];
      for (const line of lines) builder.add({ ok: true, value: line });
    }
    const chunk = builder.take();
    inFlight = events.length;
    try {
      const loaded = await loadLineChunk(pool, chunk, {
        entity,
        params: {
          mode: 'follow',
          events: events.length,
          first_event_id: events[0]?.id ?? null,
          last_event_id: lastId ?? null,
        },
        beforeCommit: options.beforeCommit,
        onCommit: async (client, batchId) => {
          if (lastId !== undefined) await storeStreamCursor(client, GL_STREAM, lastId, batchId);
        },
      });
      result.counts = addCounts(result.counts, loaded);
      result.batches++;
      result.events += events.length;
      if (lastId !== undefined) result.lastEventId = lastId;
      monitor.eventStored(lastId);
      log.debug({ ...loaded, events: events.length, lastEventId: lastId }, 'GL stream batch committed');
      options.onFlush?.({
        batchId: loaded.batchId,
        events: events.length,
        lastEventId: lastId,
        counts: loaded,
      });
    } catch (error) {
      flushError = error instanceof DatabaseError ? error : new DatabaseError(error);
      throw flushError;
    } finally {
      inFlight = 0;
    }
  };
  /** Serializes flushes (size-, time- and disconnect-triggered) in arrival order. */
  const flush = (): Promise<void> => {
    const next = flushing.then(flushNow);
    flushing = next.catch(() => undefined);
    return next;
  };

  /**
   * One connection, from the stored cursor. Returns when it ended after events arrived (the
   * caller reconnects with a fresh backoff); throws when it failed before any did.
   */
  const connectOnce = async (): Promise<void> => {
    // a failed flush's events were not stored: forget them, the stored cursor brings them back
    await flushing;
    clearTimeout(flushTimer);
    flushTimer = undefined;
    flushError = undefined;
    pending = [];
    pendingLines = 0;
    let receivedEvents = false;
    let timerError: unknown;
    try {
      const cursor = await readStreamCursor(pool, GL_STREAM).catch((error: unknown) => {
        throw new DatabaseError(error);
      });
      result.connections++;
      const response = await http.open('/get-gl', {
        accept: 'text/event-stream',
        headers: cursor ? { 'last-event-id': cursor } : {},
        signal: options.signal,
        idleTimeoutMs: options.idleTimeoutMs ?? 90_000,
      });
      const received: EventSourceMessage[] = [];
      const parser = createParser({ onEvent: (event) => received.push(event) });
      const decoder = new TextDecoder();
      let connectionError: unknown;
      try {
        for await (const bytes of response.chunks()) {
          monitor.streaming(cursor);
          parser.feed(decoder.decode(bytes, { stream: true }));
          for (const event of received.splice(0)) {
            receivedEvents = true;
            if (event.event !== undefined && event.event !== 'message' && !event.id) continue; // comments, pings
            pending.push(event);
            pendingLines += Math.max(1, event.data.length / 400); // an estimate; exact counts come at flush
            if (pending.length === 1 && flushTimer === undefined) {
              flushTimer = setTimeout(() => {
                flush().catch((error: unknown) => {
                  timerError = error;
                  response.close();
                });
              }, flushMs);
            }
            if (pendingLines >= flushLines) await flush();
            const taken = result.events + inFlight + pending.length;
            if (options.stopAfterEvents !== undefined && taken >= options.stopAfterEvents) {
              done = true;
              break;
            }
          }
          if (done || timerError) break;
        }
        if (!done && !timerError && !options.signal?.aborted)
          throw new StreamEndedError('the GL stream closed');
      } catch (error) {
        connectionError = error;
      }
      response.close();
      // What arrived complete is stored before reconnecting, so the next Last-Event-ID is exact.
      await flush();
      if (timerError) throw timerError;
      if (connectionError) throw connectionError;
    } catch (error) {
      if (options.signal?.aborted || done) return;
      if (!isRetryable(error)) throw error;
      monitor.failed(error);
      if (receivedEvents) return; // reconnect at once, backoff starts over
      throw error;
    }
  };

  try {
    while (!done && !options.signal?.aborted) {
      await retrying(connectOnce, {
        label: 'GL stream',
        policy,
        signal: options.signal,
        longRetryAfter: 'cap',
        // the monitor logs the state changes; each attempt is not worth a line
      }).catch((error: unknown) => {
        if (!options.signal?.aborted) throw error;
      });
    }
    await flush();
  } finally {
    monitor.stopped();
    result.outages = monitor.outages;
    result.alerts = monitor.alerts;
  }
  return result;
}
