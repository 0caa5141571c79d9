/**
 * EIA periods: `YYYY-MM-DD` (daily, weekly), `YYYY-MM` (monthly), `YYYY` (annual). They compare
 * as text, which is how EIA applies `start`/`end` and how watermarks are ordered.
 */
import { isIsoDate, isIsoMonth } from '../../../core/dates.ts';
import type { EiaFrequency } from './catalog.ts';

const PATTERNS: Record<EiaFrequency, RegExp> = {
  daily: /^\d{4}-\d{2}-\d{2}$/,
  weekly: /^\d{4}-\d{2}-\d{2}$/,
  monthly: /^\d{4}-\d{2}$/,
  annual: /^\d{4}$/,
};

export const DATE_FORMATS: Record<EiaFrequency, string> = {
  daily: 'YYYY-MM-DD',
  weekly: 'YYYY-MM-DD',
  monthly: 'YYYY-MM',
  annual: 'YYYY',
};

/** Whether `period` is well formed for `frequency` (and a real calendar date). */
export function isValidPeriod(period: unknown, frequency: EiaFrequency): period is string {
  if (typeof period !== 'string' || !PATTERNS[frequency].test(period)) return false;
  if (frequency === 'monthly') return isIsoMonth(period);
  if (frequency === 'annual') return Number(period) >= 1000;
  return isIsoDate(period);
}

/** First day a valid period covers, `YYYY-MM-DD`. */
export function periodStart(period: string, frequency: EiaFrequency): string {
  if (frequency === 'monthly') return `${period}-01`;
  if (frequency === 'annual') return `${period}-01-01`;
  return period;
}

/** A `YYYY-MM-DD` (or shorter) date as a period of `frequency`: 2015-01-15 → 2015-01 (monthly). */
export function toPeriod(date: string, frequency: EiaFrequency): string {
  if (frequency === 'monthly') return date.slice(0, 7);
  if (frequency === 'annual') return date.slice(0, 4);
  return date.length === 7 ? `${date}-01` : date.length === 4 ? `${date}-01-01` : date;
}

/** A `--to` date as an inclusive `end` of `frequency` (EIA compares as text: 2020-04 → 2020-04-31 for daily). */
export function toEndPeriod(date: string, frequency: EiaFrequency): string {
  if (frequency === 'daily' || frequency === 'weekly') {
    return date.length === 7 ? `${date}-31` : date.length === 4 ? `${date}-12-31` : date;
  }
  if (frequency === 'monthly' && date.length === 4) return `${date}-12`;
  return toPeriod(date, frequency);
}

/** `period` moved back by a look-back window, in the same format. */
export function shiftPeriod(
  period: string,
  frequency: EiaFrequency,
  back: { days?: number; months?: number; years?: number },
): string {
  const date = new Date(`${periodStart(period, frequency)}T00:00:00Z`);
  if (back.years) date.setUTCFullYear(date.getUTCFullYear() - back.years);
  if (back.months) date.setUTCMonth(date.getUTCMonth() - back.months);
  if (back.days) date.setUTCDate(date.getUTCDate() - back.days);
  return toPeriod(date.toISOString().slice(0, 10), frequency);
}

/** Checks a command-line date: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`. */
export function parseCliDate(text: string, name: string): string {
  const ok = isIsoDate(text) || isIsoMonth(text) || /^\d{4}$/.test(text);
  if (!ok) throw new Error(`${name} must be a date YYYY-MM-DD (or YYYY-MM, YYYY), got "${text}"`);
  return text;
}
