/**
 * Backfill of GL lines through the batch endpoint, streamed as NDJSON:
 *   GET /v1/gl/entries?start&end  (Accept: application/x-ndjson), ranges of at most 366 days.
 * Lines are parsed one by one as bytes arrive (backpressure: nothing is read ahead of the
 * loader by more than one chunk), cut into chunks of about `batchLines` at day boundaries, and each
 * chunk is loaded in its own transaction while the next one is being read. The watermark moves to
 * the last posting date known complete with the chunk that completes it; a failed request or a
 * chunk whose database connection was lost (the transaction rolls back whole) resumes from the
 * day after the last complete date, so nothing is lost and nothing is loaded twice.
 */
import type pg from 'pg';
import type { Logger } from '../../../core/logger.ts';
import { addDays } from '../../../core/dates.ts';
import { addCounts, emptyCounts, type BatchCounts } from '../load/batches.ts';
import { DatabaseError, TruncatedBodyError } from '../load/errors.ts';
import { advanceWatermark, GL_LINES_WATERMARK } from '../load/watermarks.ts';
import { ChunkBuilder, parseJsonLine, splitLines } from './chunk.ts';
import { splitRange } from './dates.ts';
import type { GlHttp } from './http.ts';
import { loadLineChunk, type LineChunk } from './load-lines.ts';
import type { LineValidator } from './schema.ts';

export const DEFAULT_BATCH_LINES = 50_000;

export interface BackfillProgress {
  lines: number;
  date: string | undefined;
  counts: BatchCounts;
}

export interface BackfillOptions {
  pool: pg.Pool;
  http: GlHttp;
  log: Logger;
  validate: LineValidator;
  from: string;
  to: string;
  /** Move ops.watermarks (gl, lines) as dates complete. */
  advanceWatermark: boolean;
  batchLines?: number;
  /** Chunks that may wait or load while the next one is read. Default 2. */
  depth?: number;
  entity?: string;
  signal?: AbortSignal;
  onProgress?: (progress: BackfillProgress) => void;
  /** Test hook, see LoadOptions.beforeCommit. */
  beforeCommit?: () => Promise<void>;
}

export interface BackfillResult {
  counts: BatchCounts;
  batches: number;
  requests: number;
}

export async function backfillLines(options: BackfillOptions): Promise<BackfillResult> {
  const { pool, http, log, validate } = options;
  const batchLines = options.batchLines ?? DEFAULT_BATCH_LINES;
  const depth = options.depth ?? 2;
  const entity = options.entity ?? 'lines';
  let counts = emptyCounts();
  let batches = 0;
  let requests = 0;
  let lines = 0;

  for (const window of splitRange(options.from, options.to)) {
    /** First day not yet known to be completely loaded. */
    let resumeFrom = window.start;
    /** Where the latest attempt started: a failed attempt that moved resumeFrom past it made progress. */
    let attemptStart = window.start;
    await http.withRetry(
      `GL backfill ${window.start}..${window.end}`,
      async () => {
        if (resumeFrom > window.end) return;
        requests++;
        const start = resumeFrom;
        attemptStart = start;
        const response = await http.open('/v1/gl/entries', {
          query: { start, end: window.end },
          accept: 'application/x-ndjson',
          signal: options.signal,
        });
        /**
         * Chunks load strictly one after the other (a later chunk must never commit before an
         * earlier one: its watermark would claim days that are not stored yet), but reading goes
         * on while they load: up to `depth` chunks wait or load while the next one is built, so
         * the service, the parser and the database stay busy together.
         */
        let chain: Promise<void> = Promise.resolve();
        const queued: Array<Promise<void>> = [];
        const submit = async (chunk: LineChunk, complete: string | undefined) => {
          while (queued.length >= depth) await queued.shift();
          const params = { mode: 'backfill', start, end: window.end, complete: complete ?? null };
          const load = chain.then(() =>
            loadLineChunk(pool, chunk, {
              entity,
              params,
              log,
              beforeCommit: options.beforeCommit,
              onCommit: async (client, batchId) => {
                if (complete !== undefined && options.advanceWatermark)
                  await advanceWatermark(
                    client,
                    GL_LINES_WATERMARK.source,
                    GL_LINES_WATERMARK.key,
                    complete,
                    batchId,
                  );
              },
            }).then(
              (result) => {
                counts = addCounts(counts, result);
                batches++;
                if (complete !== undefined && complete >= resumeFrom) resumeFrom = addDays(complete, 1);
                log.info({ ...result, complete, lines }, 'GL chunk committed');
                options.onProgress?.({ lines, date: complete, counts });
              },
              (error: unknown) => {
                throw error instanceof DatabaseError ? error : new DatabaseError(error);
              },
            ),
          );
          load.catch(() => undefined); // surfaced by the next await of the queue
          chain = load;
          queued.push(load);
        };
        const drain = async () => {
          while (queued.length > 0) await queued.shift();
        };

        let loadError: unknown;
        const builder = new ChunkBuilder(validate);
        let lastJournal: unknown;
        let lastDate: string | undefined;
        let ordered = true;
        try {
          const lineStream = splitLines(
            response.chunks(),
            (tail) => new TruncatedBodyError(`NDJSON body ended inside a line (${tail.length} bytes cut)`),
          );
          for await (const batch of lineStream) {
            for (const text of batch) {
              const parsed = parseJsonLine(text);
              const record =
                parsed.ok && parsed.value !== null && typeof parsed.value === 'object'
                  ? parsed.value
                  : undefined;
              const journal = (record as { journal_id?: unknown } | undefined)?.journal_id;
              const date = (record as { posting_date?: unknown } | undefined)?.posting_date;
              // Chunks end at a change of posting date (a hard cap of twice the size ends one at a
              // journal boundary), so a chunk holds whole days: the next load of those days finds
              // them complete, and a first load of new days takes the direct COPY path.
              const newDay = typeof date === 'string' && date !== lastDate;
              const newJournal = journal !== lastJournal;
              if (builder.size >= batchLines && (newDay || (builder.size >= 2 * batchLines && newJournal))) {
                // lines arrive in posting-date order: every day before this line's is complete
                const inOrder =
                  ordered && typeof date === 'string' && (lastDate === undefined || date >= lastDate);
                const complete = inOrder ? addDays(date as string, -1) : undefined;
                await submit(
                  builder.take(),
                  complete !== undefined && complete >= start ? complete : undefined,
                );
              }
              builder.add(parsed);
              lines++;
              if (journal !== undefined) lastJournal = journal;
              if (typeof date === 'string') {
                if (lastDate !== undefined && date < lastDate) ordered = false;
                lastDate = date;
              }
            }
          }
          await submit(builder.take(), window.end);
          await drain();
        } catch (error) {
          response.close();
          // a load failure wins: it decides whether to retry (a lost connection) or not
          for (const load of queued.splice(0)) await load.catch((e: unknown) => (loadError ??= e));
          if (loadError !== undefined) throw loadError;
          throw error;
        }
      },
      options.signal,
      () => resumeFrom > attemptStart,
    );
  }
  return { counts, batches, requests };
}
