import type { Basin, Product } from './basins.ts';
import { Rng } from './prng.ts';
import type { MonthIndex } from '../generator/calendar.ts';
import { isoMonth } from '../generator/calendar.ts';

/**
 * Monthly benchmark averages the generator prices production off: WTI Cushing ($/bbl) and Henry
 * Hub ($/MMBtu). A deck comes from EIA-format monthly files (GL_PRICE_DECK_DIR); months outside
 * it carry its nearest month (a flat strip), so a ledger past the deck's last month stays priced.
 */
export interface PriceDeck {
  /** Where the deck came from, for /health and the logs. */
  source: string;
  wti: ReadonlyMap<MonthIndex, number>;
  henryHub: ReadonlyMap<MonthIndex, number>;
}

export type Benchmark = 'wti' | 'henry_hub';

/** What /health says about the deck in use. */
export interface PriceDeckInfo {
  kind: 'eia_monthly' | 'seeded_model';
  source: string;
  wti_months: string | null;
  henry_hub_months: string | null;
}

function span(months: ReadonlyMap<MonthIndex, number>): { first: MonthIndex; last: MonthIndex } {
  const keys = [...months.keys()];
  return { first: Math.min(...keys), last: Math.max(...keys) };
}

function fromDeck(months: ReadonlyMap<MonthIndex, number>, month: MonthIndex): number {
  const hit = months.get(month);
  if (hit !== undefined) return hit;
  const { first, last } = span(months);
  const nearest = month < first ? first : month > last ? last : month;
  // a gap inside the deck: the latest month before it
  for (let m = nearest; m >= first; m--) {
    const value = months.get(m);
    if (value !== undefined) return value;
  }
  return months.get(first) ?? 0;
}

/**
 * The seeded model used without a deck: slow cycles plus monthly noise around $74 WTI and a
 * winter-peaking $3.10 Henry Hub. Each month is a pure function of (seed, month).
 */
function seededBenchmark(seed: number, benchmark: Benchmark, month: MonthIndex): number {
  const phases = new Rng(seed, 'price-phases');
  const [p1, p2, p3] = [0, 1, 2].map(() => phases.between(0, 2 * Math.PI)) as [number, number, number];
  const noise = new Rng(seed, 'price', benchmark, month);
  if (benchmark === 'wti')
    return (
      74 +
      9 * Math.sin((2 * Math.PI * month) / 41 + p1) +
      5 * Math.sin((2 * Math.PI * month) / 13 + p2) +
      noise.normal(0, 2)
    );
  // Winter peak: cos is 1 in January (month % 12 === 0).
  return Math.max(
    1.2,
    3.1 +
      0.9 * Math.cos((2 * Math.PI * (month % 12)) / 12) +
      0.6 * Math.sin((2 * Math.PI * month) / 29 + p3) +
      noise.normal(0, 0.2),
  );
}

const deckIds = new WeakMap<PriceDeck, number>();
function deckId(deck: PriceDeck): number {
  let id = deckIds.get(deck);
  if (id === undefined) deckIds.set(deck, (id = nextDeckId++));
  return id;
}
let nextDeckId = 1;

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

/** Floors keep a wide negative differential from pricing a sale at or below zero. */
const FLOOR: Record<Product, number> = { oil: 5, gas: 0.1, ngl: 3 };

/**
 * Prices for one (seed, deck): benchmarks, and each basin's realized prices off them: oil at
 * WTI plus the basin's differential, gas at (Henry Hub plus the differential) times the heat
 * content of the gas sold (so $/mcf, not $/MMBtu), NGL at a share of WTI. The basin terms are
 * drawn per month from the basin's ranges (docs/economics.md), the same for every well.
 */
export class Pricing {
  private readonly cache = new Map<string, number>();
  /** Identifies (seed, deck) for caches shared across ledgers: results depend on both. */
  readonly key: string;

  constructor(
    readonly seed: number,
    readonly deck: PriceDeck | null = null,
  ) {
    this.key = `${seed}|${deck ? deckId(deck) : 'model'}`;
  }

  info(): PriceDeckInfo {
    if (!this.deck)
      return {
        kind: 'seeded_model',
        source: `seeded model (GL_SEED ${this.seed})`,
        wti_months: null,
        henry_hub_months: null,
      };
    const months = (m: ReadonlyMap<MonthIndex, number>) => {
      const { first, last } = span(m);
      return `${isoMonth(first)}..${isoMonth(last)}`;
    };
    return {
      kind: 'eia_monthly',
      source: this.deck.source,
      wti_months: months(this.deck.wti),
      henry_hub_months: months(this.deck.henryHub),
    };
  }

  benchmark(benchmark: Benchmark, month: MonthIndex): number {
    const key = `b:${benchmark}:${month}`;
    let price = this.cache.get(key);
    if (price === undefined) {
      const deck = this.deck ? (benchmark === 'wti' ? this.deck.wti : this.deck.henryHub) : null;
      price = round4(deck ? fromDeck(deck, month) : seededBenchmark(this.seed, benchmark, month));
      if (this.cache.size > 20_000) this.cache.clear();
      this.cache.set(key, price);
    }
    return price;
  }

  /** The basin's price for the month before any well-level spread: what an accountant accrues at. */
  basinPrice(basin: Basin, product: Product, month: MonthIndex): number {
    const key = `p:${basin.id}:${product}:${month}`;
    let price = this.cache.get(key);
    if (price === undefined) {
      const e = basin.economics;
      const draw = new Rng(this.seed, 'basin-price', basin.id, product, month);
      const wti = this.benchmark('wti', month);
      switch (product) {
        case 'oil':
          price = wti + draw.between(...e.oilDifferential);
          break;
        case 'gas':
          price = (this.benchmark('henry_hub', month) + draw.between(...e.gasDifferential)) * e.heatContent;
          break;
        case 'ngl':
          price = wti * draw.between(...e.nglShareOfWti);
          break;
      }
      price = Math.max(FLOOR[product], round4(price));
      if (this.cache.size > 20_000) this.cache.clear();
      this.cache.set(key, price);
    }
    return price;
  }

  /** Realized price of one well's sale: the basin price plus a small well-level spread (quality, location). */
  realisedPrice(basin: Basin, wellIndex: number, product: Product, month: MonthIndex): number {
    const spread = new Rng(this.seed, 'spread', wellIndex, product, month).normal(
      0,
      product === 'gas' ? 0.04 : 0.3,
    );
    return Math.max(FLOOR[product], round4(this.basinPrice(basin, product, month) + spread));
  }
}
