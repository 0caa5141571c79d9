/**
 * Dates as integer day numbers (days since 1970-01-01, UTC). Integers make ranges, month ends
 * and lags plain arithmetic and keep time zones out of the ledger: every date is a UTC date.
 */
import { daysInMonth, parseIsoDateMs } from '../../../core/dates.ts';

export { daysInMonth };

export const SECONDS_PER_DAY = 86_400;
const MS_PER_DAY = SECONDS_PER_DAY * 1000;

/** Day number of a YYYY-MM-DD string, or undefined when it is not a real calendar date. */
export function parseIsoDate(text: string): number | undefined {
  const ms = parseIsoDateMs(text);
  return ms === undefined ? undefined : ms / MS_PER_DAY;
}

export function dayFromIso(text: string): number {
  const day = parseIsoDate(text);
  if (day === undefined) throw new Error(`not a calendar date: ${text}`);
  return day;
}

const isoDates = new Map<number, string>();

/** Memoized: the generator formats the same few hundred dates millions of times. */
export function isoDate(day: number): string {
  let text = isoDates.get(day);
  if (text === undefined) {
    text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    if (isoDates.size > 100_000) isoDates.clear();
    isoDates.set(day, text);
  }
  return text;
}

/** A month as an integer count since year 0 (year * 12 + month - 1): easy to add and compare. */
export type MonthIndex = number;

export function monthOfDay(day: number): MonthIndex {
  const text = isoDate(day);
  return Number(text.slice(0, 4)) * 12 + Number(text.slice(5, 7)) - 1;
}

export function dayOfMonth(day: number): number {
  return Number(isoDate(day).slice(8, 10));
}

export function monthStart(month: MonthIndex): number {
  return Date.UTC(Math.floor(month / 12), month % 12, 1) / MS_PER_DAY;
}

export function monthEnd(month: MonthIndex): number {
  return monthStart(month + 1) - 1;
}

export function monthLength(month: MonthIndex): number {
  return monthEnd(month) - monthStart(month) + 1;
}

/** YYYY-MM */
export function isoMonth(month: MonthIndex): string {
  return `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
}

/** The day `dom` of a month, clamped to the month's last day. */
export function dayInMonth(month: MonthIndex, dom: number): number {
  return monthStart(month) + Math.min(dom, monthLength(month)) - 1;
}

export function yearOfDay(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** Unix seconds as a compact ISO instant without milliseconds: 2024-01-31T00:00:30Z. */
export function isoInstant(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

export function parseIsoInstant(text: string): number | undefined {
  const match = ISO_INSTANT.exec(text);
  if (!match) return undefined;
  const day = parseIsoDate(match[1] ?? '');
  const [h, m, s] = [Number(match[2]), Number(match[3]), Number(match[4])];
  if (day === undefined || h > 23 || m > 59 || s > 59) return undefined;
  return day * SECONDS_PER_DAY + h * 3600 + m * 60 + s;
}
