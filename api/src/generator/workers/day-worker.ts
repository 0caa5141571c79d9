/**
 * A generator process (day-source.ts): receives its ledger options first, builds the ledger once,
 * then answers "day N" with that day serialized (serialize.ts). It ends when its parent does (the
 * IPC channel closes).
 */
import os from 'node:os';
import type { LedgerOptions } from '../ledger.ts';
import { Ledger } from '../ledger.ts';
import { serializeDay } from '../serialize.ts';

/** Niceness of a generator (0 is the default, 19 the lowest priority): the service answers first. */
const GENERATOR_NICE = 10;

export interface DayRequest {
  id: number;
  day: number;
}

const send = process.send?.bind(process);
if (!send) throw new Error('day-worker.ts runs as a generator process (day-source.ts)');

try {
  os.setPriority(GENERATOR_NICE);
} catch {
  // not permitted here: generation keeps the default priority
}

let ledger: Ledger | undefined;

process.on('message', (message: { ledger: LedgerOptions } | DayRequest) => {
  if ('ledger' in message) {
    ledger = new Ledger(message.ledger);
    send({ ready: true });
    return;
  }
  const { id, day } = message;
  try {
    if (!ledger) throw new Error('no ledger options received');
    send({ id, result: serializeDay(day, ledger.journalsForDay(day)) });
  } catch (err) {
    send({ id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
process.on('disconnect', () => process.exit(0));
