/**
 * A generator process (day-source.ts): receives its ledger options first, builds the ledger once,
 * then answers "day N" with that day serialized (serialize.ts), or "day N into file F" by writing
 * the day's bytes to F and answering with the rest. It ends when its parent does (the IPC channel
 * closes).
 */
import { unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { LedgerOptions } from '../ledger.ts';
import { Ledger } from '../ledger.ts';
import type { FiledDay, SerializedDay } from '../serialize.ts';
import { serializeDay } from '../serialize.ts';

/** Niceness of a generator (0 is the default, 19 the lowest priority): the service answers first. */
const GENERATOR_NICE = 10;

export interface DayRequest {
  id: number;
  day: number;
  /** A file of the day cache to write the bytes to (a new name, never an existing file). */
  file?: string | undefined;
}

/** What a generator answers: the day in a file, or its bytes (with why the file was not written). */
export type DayReply =
  | { id: number; filed: FiledDay }
  | { id: number; result: SerializedDay; writeError?: string }
  | { id: number; error: string };

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
  const { id, day, file } = message;
  const reply = (value: DayReply) => send(value);
  let made: SerializedDay;
  try {
    if (!ledger) throw new Error('no ledger options received');
    made = serializeDay(day, ledger.journalsForDay(day));
  } catch (err) {
    reply({ id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    return;
  }
  if (!file) return reply({ id, result: made });
  try {
    // 'wx': the name is new for every write, so an existing file is someone else's
    writeFileSync(file, made.bytes, { flag: 'wx' });
  } catch (err) {
    try {
      // what a failed write left (an existing file is not ours to remove)
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') unlinkSync(file);
    } catch {
      // nothing was written
    }
    return reply({ id, result: made, writeError: err instanceof Error ? err.message : String(err) });
  }
  const { bytes, ...rest } = made;
  reply({ id, filed: { ...rest, file, size: bytes.byteLength } });
});
process.on('disconnect', () => process.exit(0));
