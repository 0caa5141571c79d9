import { Worker } from 'node:worker_threads';
import type { Ledger, LedgerOptions } from './ledger.ts';
import type { SerializedDay } from './serialize.ts';
import { serializeDay } from './serialize.ts';

/** Where serialized days come from: this thread, or a pool of generator threads. */
export interface DaySource {
  day(day: number): Promise<SerializedDay>;
  /** Resolves when the source can answer at full speed (threads started, ledgers built). */
  start(): Promise<void>;
  close(): Promise<void>;
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Generates on the calling thread, but only after yielding to the event loop, so other
 * requests (health probes, pages, streams) get a turn between any two days.
 */
export class InlineDaySource implements DaySource {
  constructor(private readonly ledger: Ledger) {}

  async day(day: number): Promise<SerializedDay> {
    await nextTick();
    return serializeDay(day, this.ledger.journalsForDay(day));
  }

  async start(): Promise<void> {}

  async close(): Promise<void> {}
}

interface Pending {
  id: number;
  day: number;
  resolve: (value: SerializedDay) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  busy: Pending | undefined;
  ready: Promise<void>;
}

const BOOT = new URL('./workers/boot.mjs', import.meta.url);
const ENTRY = new URL('./workers/day-worker.ts', import.meta.url).href;

/**
 * Worker threads, each with its own Ledger built from the same options, generating and
 * serializing whole days while the main thread only moves finished buffers to sockets. Days are
 * pure functions of (options, day), so which thread makes a day never changes its bytes.
 * Threads start with the service (or on first use) and do not keep the process alive.
 */
export class WorkerDaySource implements DaySource {
  private readonly threads: Thread[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly ledger: LedgerOptions,
    private readonly size: number,
  ) {}

  day(day: number): Promise<SerializedDay> {
    if (this.closed) return Promise.reject(new Error('the generator threads are closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, day, resolve, reject });
      this.pump();
    });
  }

  /** Starts every thread and waits until each has built its ledger. */
  async start(): Promise<void> {
    while (this.threads.length < this.size) this.spawn();
    await Promise.all(this.threads.map((t) => t.ready));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let thread = this.threads.find((t) => t.busy === undefined);
      if (!thread && this.threads.length < this.size) thread = this.spawn();
      if (!thread) return;
      const job = this.queue.shift() as Pending;
      thread.busy = job;
      thread.worker.postMessage({ id: job.id, day: job.day });
    }
  }

  private spawn(): Thread {
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY, ledger: this.ledger } });
    worker.unref();
    let ready = () => {};
    const thread: Thread = { worker, busy: undefined, ready: new Promise((resolve) => (ready = resolve)) };
    this.threads.push(thread);
    worker.on('message', (message: { ready?: true; id: number; result?: SerializedDay; error?: string }) => {
      if (message.ready) return ready();
      const job = thread.busy;
      thread.busy = undefined;
      if (job?.id === message.id) {
        if (message.result) job.resolve(message.result);
        else job.reject(new Error(`generating day ${job.day} failed: ${message.error}`));
      }
      this.pump();
    });
    const lost = (error: Error) => {
      const index = this.threads.indexOf(thread);
      if (index < 0) return;
      this.threads.splice(index, 1);
      ready();
      thread.busy?.reject(error);
      thread.busy = undefined;
      if (!this.closed) this.pump();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`a generator thread exited with code ${code}`)));
    return thread;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the generator threads are closed'));
    await Promise.all(this.threads.splice(0).map((t) => t.worker.terminate()));
  }
}
