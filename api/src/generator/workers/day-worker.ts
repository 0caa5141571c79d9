/**
 * A generator thread: builds the ledger once from the options it was started with, then
 * answers "day N" with that day serialized (serialize.ts), transferring the buffers back.
 */
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { LedgerOptions } from '../ledger.ts';
import { Ledger } from '../ledger.ts';
import { serializeDay } from '../serialize.ts';

/** Niceness of a generator thread (0 is the default, 19 the lowest priority). */
const GENERATOR_NICE = 10;

export interface DayRequest {
  id: number;
  day: number;
}

const port = parentPort;
if (!port) throw new Error('day-worker.ts runs in a worker thread');
const ledger = new Ledger((workerData as { ledger: LedgerOptions }).ledger);

// Generation is batch work; the main thread answers requests. On Linux a priority is per thread
// (setpriority on the calling thread's id), so this thread yields the CPU to the event loop
// whenever both want it: on a busy 2-core machine a fast export would otherwise starve /health.
// Where the OS refuses (or applies it to the whole process), the service runs as before.
if (process.platform === 'linux') {
  try {
    os.setPriority(GENERATOR_NICE);
  } catch {
    // not permitted here: generation keeps the default priority
  }
}

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
