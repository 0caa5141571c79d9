/**
 * Follows the live GL stream (GET /get-gl, Server-Sent Events; every event has an id and a JSON
 * array of lines). Events are micro-batched: a batch is flushed when it holds `flushLines` lines
 * or its first event is `flushMs` old, and its lines, the stream cursor (ops.stream_cursors,
 * stream 'gl') and the batch row commit in one transaction. Every (re)connection sends the
 * last STORED event id as Last-Event-ID, after flushing what was received, so a restart or a
 * dropped connection neither skips nor repeats an event.
 */
import type pg from 'pg';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { Logger } from '../../../core/logger.ts';
import { addCounts, emptyCounts, type BatchCounts } from '../load/batches.ts';
import { sleep } from '../http/index.ts';
import { ChunkBuilder } from './chunk.ts';
import { LoadError } from './backfill.ts';
import { backoffDelay, isRetryable, type GlHttp } from './http.ts';
import { loadLineChunk } from './load-lines.ts';
import type { LineValidator } from './schema.ts';
import { readStreamCursor, storeStreamCursor } from './state.ts';

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
}

class StreamEnded extends Error {
  constructor() {
    super('the GL stream closed');
    this.name = 'StreamEnded';
  }
}

export async function followStream(options: FollowOptions): Promise<FollowResult> {
  const { pool, http, log, validate } = options;
  const flushLines = options.flushLines ?? 5000;
  const flushMs = options.flushMs ?? 1000;
  const entity = options.entity ?? 'stream';
  const result: FollowResult = {
    counts: emptyCounts(),
    events: 0,
    batches: 0,
    connections: 0,
    lastEventId: undefined,
  };

  let pending: EventSourceMessage[] = [];
  let pendingLines = 0;
  let flushTimer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  let done = false;

  /** Once a flush failed, no later one may commit: its cursor would skip the failed events. */
  let flushError: LoadError | undefined;
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
          if (lastId !== undefined) await storeStreamCursor(client, lastId, batchId);
        },
      });
      result.counts = addCounts(result.counts, loaded);
      result.batches++;
      result.events += events.length;
      if (lastId !== undefined) result.lastEventId = lastId;
      log.debug({ ...loaded, events: events.length, lastEventId: lastId }, 'GL stream batch committed');
      options.onFlush?.({
        batchId: loaded.batchId,
        events: events.length,
        lastEventId: lastId,
        counts: loaded,
      });
    } catch (error) {
      flushError = new LoadError(error);
      throw flushError;
    }
  };
  /** Serializes flushes (size-, time- and disconnect-triggered) in arrival order. */
  const flush = (): Promise<void> => {
    const next = flushing.then(flushNow);
    flushing = next.catch(() => undefined);
    return next;
  };
  let timerError: unknown;

  let accepted = 0;
  let failures = 0;
  while (!done && !options.signal?.aborted) {
    let receivedOnThisConnection = false;
    try {
      const cursor = await readStreamCursor(pool);
      result.connections++;
      const response = await http.open('/get-gl', {
        accept: 'text/event-stream',
        headers: cursor ? { 'last-event-id': cursor } : {},
        signal: options.signal,
        idleTimeoutMs: options.idleTimeoutMs ?? 90_000,
      });
      log.info(
        { lastEventId: cursor ?? null },
        cursor ? 'GL stream connected, resuming' : 'GL stream connected',
      );
      const received: EventSourceMessage[] = [];
      const parser = createParser({ onEvent: (event) => received.push(event) });
      const decoder = new TextDecoder();
      let connectionError: unknown;
      try {
        for await (const bytes of response.chunks()) {
          parser.feed(decoder.decode(bytes, { stream: true }));
          for (const event of received.splice(0)) {
            receivedOnThisConnection = true;
            failures = 0;
            if (event.event !== undefined && event.event !== 'message' && !event.id) continue; // comments, pings
            pending.push(event);
            accepted++;
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
            if (options.stopAfterEvents !== undefined && accepted >= options.stopAfterEvents) {
              done = true;
              break;
            }
          }
          if (done || timerError) break;
        }
        if (!done && !timerError && !options.signal?.aborted) throw new StreamEnded();
      } catch (error) {
        connectionError = error;
      }
      response.close();
      // What arrived complete is stored before reconnecting, so the next Last-Event-ID is exact.
      await flush();
      if (timerError) throw timerError;
      if (connectionError) throw connectionError;
    } catch (error) {
      if (error instanceof LoadError || timerError) throw timerError ?? error;
      if (options.signal?.aborted) break;
      if (!(error instanceof StreamEnded) && !isRetryable(error)) throw error;
      failures = receivedOnThisConnection ? 1 : failures + 1;
      if (failures > http.retry.retries) throw error;
      const delay = backoffDelay(http.retry, failures, (error as { retryAfterMs?: number }).retryAfterMs);
      log.warn(
        { err: (error as Error).message, attempt: failures, delayMs: delay },
        'GL stream interrupted; reconnecting',
      );
      await sleep(delay, options.signal).catch(() => undefined);
    }
  }
  await flush();
  return result;
}
