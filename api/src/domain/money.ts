/**
 * Amounts are integer cents and interests are integer units of 1e-8 from the moment they are
 * drawn: sums are then exact, every journal balances to the cent and every interest table sums
 * to exactly 1. Decimal strings are produced only at the edge, for the GL line.
 */
export const INTEREST_UNITS = 100_000_000;

function fixed(value: number, places: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const scale = 10 ** places;
  const whole = Math.floor(abs / scale);
  const frac = String(abs - whole * scale).padStart(places, '0');
  return `${sign}${whole}.${frac}`;
}

export function centsToString(cents: number): string {
  return fixed(cents, 2);
}

export function toCents(dollars: number): number {
  return Math.round(dollars * 100);
}

/** Volume rounded to 2 places, as a decimal string. */
export function volumeString(volume: number): string {
  return fixed(Math.round(volume * 100), 2);
}

/** Price rounded to 4 places, as a decimal string. */
export function priceString(price: number): string {
  return fixed(Math.round(price * 10_000), 4);
}

export function interestString(units: number): string {
  return fixed(units, 8);
}

/** An amount's share for an interest in 1e-8 units, rounded half away from zero to the cent. */
export function shareOf(cents: number, units: number): number {
  return Math.round((cents * units) / INTEREST_UNITS);
}
