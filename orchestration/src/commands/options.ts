/**
 * Option parsers shared by the commands: every option is validated by commander before any work
 * starts (and before a database is touched), with the option's name in the error.
 */
import { InvalidArgumentError } from 'commander';
import { isIsoDate } from '../../../core/dates.ts';

export function isoDate(name: string) {
  return (value: string): string => {
    if (!isIsoDate(value))
      throw new InvalidArgumentError(`${name} must be a date YYYY-MM-DD, got "${value}"`);
    return value;
  };
}

/** YYYY-MM-DD, or YYYY-MM meaning that month's first (`end: false`) or last (`end: true`) day. */
export function dayOrMonth(name: string, end: boolean) {
  return (value: string): string => {
    if (/^\d{4}-\d{2}$/.test(value)) {
      const first = `${value}-01`;
      if (!isIsoDate(first))
        throw new InvalidArgumentError(`${name} must be YYYY-MM or YYYY-MM-DD, got "${value}"`);
      if (!end) return first;
      const [y, m] = value.split('-').map(Number) as [number, number];
      return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    }
    return isoDate(name)(value);
  };
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

export function ordered(from: string | undefined, to: string | undefined): void {
  if (from && to && from > to) throw new InvalidArgumentError(`--from ${from} is after --to ${to}`);
}

/** Exit code 1 for a failed Outcome, 0 otherwise (a warning is not a failure). */
export function exitFor(status: string): void {
  if (status === 'failed') process.exitCode = 1;
}
