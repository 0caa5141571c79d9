/**
 * A generator thread: builds the ledger once from the options it was started with, then
 * answers "day N" with that day serialized (serialize.ts), transferring the buffers back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LedgerOptions } from '../ledger.ts';
import { Ledger } from '../ledger.ts';
import { serializeDay } from '../serialize.ts';

export interface DayRequest {
  id: number;
  day: number;
}

const port = parentPort;
if (!port) throw new Error('day-worker.ts runs in a worker thread');
const ledger = new Ledger((workerData as { ledger: LedgerOptions }).ledger);

port.postMessage({ ready: true });

port.on('message', ({ id, day }: DayRequest) => {
  try {
    const result = serializeDay(day, ledger.journalsForDay(day));
    port.postMessage({ id, result }, [
      result.bytes.buffer as ArrayBuffer,
      result.starts.buffer as ArrayBuffer,
      result.postedAt.buffer as ArrayBuffer,
      result.lineCounts.buffer as ArrayBuffer,
    ]);
  } catch (err) {
    port.postMessage({ id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
