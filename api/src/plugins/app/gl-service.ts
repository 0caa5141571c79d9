import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { dayFromIso, SECONDS_PER_DAY } from '../../generator/calendar.ts';
import type { DayLease } from '../../generator/day-files.ts';
import type { DaySource } from '../../generator/day-source.ts';
import { InlineDaySource, WorkerDaySource } from '../../generator/day-source.ts';
import { DayStore } from '../../generator/day-store.ts';
import { Ledger } from '../../generator/ledger.ts';
import { readPriceDeck } from '../../generator/price-deck.ts';
import type { ReferenceData } from '../../generator/reference.ts';
import { referenceData } from '../../generator/reference.ts';
import type { SerializedDay } from '../../generator/serialize.ts';
import type { ServedSpan } from '../../generator/stream-slots.ts';
import { servedSpan } from '../../generator/stream-slots.ts';
import type { GlAppOptions } from '../../options.ts';
import { DEFAULT_DAY_CACHE_BYTES } from '../../options.ts';

declare module 'fastify' {
  interface FastifyInstance {
    gl: GlService;
  }
}

/**
 * The ledger behind the routes: reference data, the clock, and the serialized days every data
 * route reads (generated in generator processes when `generatorThreads` > 0, kept as files in a
 * byte-bounded LRU, the last few in memory).
 */
export class GlService {
  readonly ledger: Ledger;
  readonly asOfDay: number;
  readonly intervalS: number;
  readonly now: () => number;
  readonly store: DayStore;
  /** Days requested ahead of the one being sent: enough to keep every generator thread busy. */
  readonly readAhead: number;
  private reference: ReferenceData | undefined;

  constructor(
    readonly options: GlAppOptions,
    log: Pick<FastifyBaseLogger, 'warn'>,
  ) {
    this.asOfDay = dayFromIso(options.asOf);
    // Generator processes rebuild the ledger from these options (the deck travels as plain Maps).
    const ledgerOptions = {
      seed: options.seed,
      wells: options.wells,
      priceDeck: options.priceDeckDir ? readPriceDeck(options.priceDeckDir) : null,
      historyStart: servedSpan(this.asOfDay, options.streamIntervalS, 0).from / SECONDS_PER_DAY,
    };
    this.ledger = new Ledger(ledgerOptions);
    this.intervalS = options.streamIntervalS;
    this.now = options.now ?? Date.now;
    const threads = options.generatorThreads ?? 0;
    const source: DaySource =
      threads > 0 ? new WorkerDaySource(ledgerOptions, threads) : new InlineDaySource(this.ledger);
    this.store = new DayStore(source, {
      budgetBytes: options.dayCacheBytes ?? DEFAULT_DAY_CACHE_BYTES,
      parentDir: options.dayCacheDir,
      warn: (err, message) => log.warn({ err }, message),
    });
    this.readAhead = Math.max(1, threads);
  }

  span(): ServedSpan {
    return servedSpan(this.asOfDay, this.intervalS, this.now());
  }

  /** First and last posting date with anything served. */
  servedDays(): { first: number; last: number } {
    const span = this.span();
    return { first: span.from / SECONDS_PER_DAY, last: Math.floor((span.watermark - 1) / SECONDS_PER_DAY) };
  }

  /** A day's journals serialized (NDJSON bytes plus where each journal starts). */
  readonly day = (day: number): Promise<SerializedDay> => this.store.get(day);

  /** A day for one reader that releases it once sent (the NDJSON export: DayStore.lease). */
  readonly lease = (day: number): Promise<DayLease> => this.store.lease(day);

  referenceData(): ReferenceData {
    this.reference ??= referenceData(this.ledger, this.asOfDay);
    return this.reference;
  }
}

export default fp(
  async function glService(fastify: FastifyInstance, options: GlAppOptions) {
    const gl = new GlService(options, fastify.log);
    fastify.decorate('gl', gl);
    // Generator threads start with the service, so the first export need not wait for them; not
    // awaited, since a loaded machine can take longer than Fastify's plugin timeout (requests
    // made meanwhile queue until a thread is up).
    fastify.addHook('onReady', async () => {
      gl.store
        .start()
        .catch((err: unknown) => fastify.log.error({ err }, 'generator threads failed to start'));
    });
    fastify.addHook('onClose', () => gl.store.close());
  },
  { name: 'gl-service' },
);
