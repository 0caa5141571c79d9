import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { dayFromIso, SECONDS_PER_DAY } from '../../generator/calendar.ts';
import type { Journal } from '../../generator/ledger.ts';
import { Ledger } from '../../generator/ledger.ts';
import { readPriceDeck } from '../../generator/price-deck.ts';
import type { ReferenceData } from '../../generator/reference.ts';
import { referenceData } from '../../generator/reference.ts';
import type { ServedSpan } from '../../generator/stream-slots.ts';
import { servedSpan } from '../../generator/stream-slots.ts';
import type { GlAppOptions } from '../../options.ts';

const lineCount = (journals: readonly Journal[]) => journals.reduce((n, j) => n + j.lines.length, 0);

declare module 'fastify' {
  interface FastifyInstance {
    gl: GlService;
  }
}

/** The ledger behind the routes: reference data, a small cache of days, and the clock. */
export class GlService {
  readonly ledger: Ledger;
  readonly asOfDay: number;
  readonly intervalS: number;
  readonly now: () => number;
  private readonly cache = new Map<number, Journal[]>();
  private cachedLines = 0;
  private readonly cacheLines: number;
  private reference: ReferenceData | undefined;

  constructor(readonly options: GlAppOptions) {
    this.asOfDay = dayFromIso(options.asOf);
    this.ledger = new Ledger({
      seed: options.seed,
      wells: options.wells,
      priceDeck: options.priceDeckDir ? readPriceDeck(options.priceDeckDir) : null,
      historyStart: servedSpan(this.asOfDay, options.streamIntervalS, 0).from / SECONDS_PER_DAY,
    });
    this.intervalS = options.streamIntervalS;
    this.now = options.now ?? Date.now;
    this.cacheLines = options.dayCacheLines ?? 200_000;
  }

  span(): ServedSpan {
    return servedSpan(this.asOfDay, this.intervalS, this.now());
  }

  /** First and last posting date with anything served. */
  servedDays(): { first: number; last: number } {
    const span = this.span();
    return { first: span.from / SECONDS_PER_DAY, last: Math.floor((span.watermark - 1) / SECONDS_PER_DAY) };
  }

  /**
   * A day's journals, from an LRU bounded in lines (not days, so 10x the wells does not mean 10x
   * the memory): pages and streams keep revisiting the same few days.
   */
  journals(day: number): Journal[] {
    const hit = this.cache.get(day);
    if (hit) {
      this.cache.delete(day);
      this.cache.set(day, hit);
      return hit;
    }
    const journals = this.ledger.journalsForDay(day);
    this.cache.set(day, journals);
    this.cachedLines += lineCount(journals);
    while (this.cachedLines > this.cacheLines && this.cache.size > 1) {
      const [oldest, dropped] = this.cache.entries().next().value as [number, Journal[]];
      this.cache.delete(oldest);
      this.cachedLines -= lineCount(dropped);
    }
    return journals;
  }

  /** Journals posted in [from, to), in posting order. */
  journalsBetween(from: number, to: number): Journal[] {
    const out: Journal[] = [];
    for (let day = Math.floor(from / SECONDS_PER_DAY); day * SECONDS_PER_DAY < to; day++) {
      for (const j of this.journals(day)) if (j.postedAt >= from && j.postedAt < to) out.push(j);
    }
    return out;
  }

  referenceData(): ReferenceData {
    this.reference ??= referenceData(this.ledger, this.asOfDay);
    return this.reference;
  }
}

export default fp(
  async function glService(fastify: FastifyInstance, options: GlAppOptions) {
    fastify.decorate('gl', new GlService(options));
  },
  { name: 'gl-service' },
);
