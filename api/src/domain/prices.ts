import type { Basin, Product } from './basins.ts';
import { Rng } from './prng.ts';
import type { MonthIndex } from '../generator/calendar.ts';

/**
 * A seeded monthly price model: benchmark monthly averages (WTI Cushing $/bbl, Henry Hub
 * $/mmbtu treated as $/mcf, NGL as a share of WTI) built from slow cycles plus monthly noise.
 * Each month's price is a pure function of (seed, month), so no price depends on the history
 * that was generated before it.
 */
function phases(seed: number): number[] {
  const rng = new Rng(seed, 'price-phases');
  return [0, 1, 2, 3].map(() => rng.between(0, 2 * Math.PI));
}

const cache = new Map<string, number>();

export function benchmarkPrice(seed: number, product: Product, month: MonthIndex): number {
  const key = `${seed}:${product}:${month}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const [p1 = 0, p2 = 0, p3 = 0, p4 = 0] = phases(seed);
  const noise = new Rng(seed, 'price', product, month);
  const wti =
    74 + 9 * Math.sin((2 * Math.PI * month) / 41 + p1) + 5 * Math.sin((2 * Math.PI * month) / 13 + p2);
  let price: number;
  switch (product) {
    case 'oil':
      price = wti + noise.normal(0, 2);
      break;
    case 'gas':
      // Winter peak: cos is 1 in January (month % 12 === 0).
      price = Math.max(
        1.2,
        3.1 +
          0.9 * Math.cos((2 * Math.PI * (month % 12)) / 12) +
          0.6 * Math.sin((2 * Math.PI * month) / 29 + p3) +
          noise.normal(0, 0.2),
      );
      break;
    case 'ngl':
      price = wti * (0.3 + 0.05 * Math.sin((2 * Math.PI * month) / 17 + p4)) + noise.normal(0, 0.8);
      break;
  }
  const rounded = Math.round(price * 10_000) / 10_000;
  if (cache.size > 10_000) cache.clear();
  cache.set(key, rounded);
  return rounded;
}

/** Realised price at the wellhead: benchmark plus the basin differential plus a small well-level spread. */
export function realisedPrice(
  seed: number,
  basin: Basin,
  wellIndex: number,
  product: Product,
  month: MonthIndex,
): number {
  const spread = new Rng(seed, 'spread', wellIndex, product, month).normal(
    0,
    product === 'gas' ? 0.05 : 0.35,
  );
  const floor = product === 'gas' ? 0.25 : 5;
  return Math.max(
    floor,
    Math.round((benchmarkPrice(seed, product, month) + basin.differential[product] + spread) * 10_000) /
      10_000,
  );
}

/** The price an accountant accrues at month end: the benchmark average plus the basin differential. */
export function estimatedPrice(seed: number, basin: Basin, product: Product, month: MonthIndex): number {
  const floor = product === 'gas' ? 0.25 : 5;
  return Math.max(
    floor,
    Math.round((benchmarkPrice(seed, product, month) + basin.differential[product]) * 10_000) / 10_000,
  );
}
