import { fork, type ChildProcess } from 'node:child_process';
import type { Ledger, LedgerOptions } from './ledger.ts';
import type { FiledDay, SerializedDay } from './serialize.ts';
import { serializeDay } from './serialize.ts';
import type { GeneratorScript } from './workers/bundle.ts';
import { bundleGenerator } from './workers/bundle.ts';
import type { DayReply } from './workers/day-worker.ts';

/** A day generated into a file, or its bytes when the file could not be written (and why). */
export type GeneratedDay = FiledDay | (SerializedDay & { writeError?: string | undefined });

/** Where serialized days come from: this thread, or a pool of generator processes. */
export interface DaySource {
  day(day: number): Promise<SerializedDay>;
  /**
   * The day written by its generator straight to `file`, a new name in the day cache folder, so
   * its bytes never pass through this process; only sources that generate elsewhere have it.
   */
  dayInto?(day: number, file: string): Promise<GeneratedDay>;
  /** Resolves when the source can answer at full speed (threads started, ledgers built). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * V8 settings of a generator process: a young generation of 8 MB semi-spaces (the default grows
 * to 16) and an old generation grown by only 10% over what survives a collection. A generator's
 * live heap is its ledger and one day (~3 MB at 300 wells); V8's default growth let garbage pile
 * up to ~80 MB of heap per process. Soft settings, not a heap limit: a larger day never fails.
 * Measured over a year at 300 wells: peak RSS ~150 → ~105 MB per process for ~10-20% more CPU (ADR 38).
 */
const GENERATOR_V8_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=10'];

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
  file: string | undefined;
  resolve: (value: GeneratedDay) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: ChildProcess;
  busy: Pending | undefined;
  ready: Promise<void>;
}

/**
 * Generator processes, each with its own Ledger built from the same options, generating and
 * serializing whole days while the main thread only moves finished buffers to sockets; with a day
 * cache, a generator writes the day's file itself (dayInto), so the bytes reach the service's
 * socket from the page cache, never through its heap or the IPC channel (ADR 38). Days are
 * pure functions of (options, day), so which generator makes a day never changes its bytes.
 * Generators start with the service (or on first use), do not keep it alive, and end with it;
 * they run the generator bundled into plain JavaScript once per pool (workers/bundle.ts).
 *
 * Processes, not worker threads, and each in a session of its own at a lower priority: Linux
 * shares the CPU between sessions first (autogroup) and charges a process's threads to one share,
 * so generator threads busy with a fast export used up the share the event loop needed to answer
 * /health; in their own sessions they use another share (ADR "GL service", docs/decisions.md).
 */
export class WorkerDaySource implements DaySource {
  private readonly threads: Thread[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private script: Promise<GeneratorScript> | undefined;
  /** The bundled generator, once written: processes are forked only then. */
  private scriptFile: string | undefined;

  constructor(
    private readonly ledger: LedgerOptions,
    private readonly size: number,
  ) {}

  day(day: number): Promise<SerializedDay> {
    return this.request(day, undefined) as Promise<SerializedDay>;
  }

  dayInto(day: number, file: string): Promise<GeneratedDay> {
    return this.request(day, file);
  }

  private request(day: number, file: string | undefined): Promise<GeneratedDay> {
    if (this.closed) return Promise.reject(new Error('the generators are closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, day, file, resolve, reject });
      if (this.scriptFile) return this.pump();
      this.prepare().then(
        () => this.pump(),
        (err: unknown) => {
          const error = new Error(`the generator could not be bundled: ${String(err)}`);
          for (const job of this.queue.splice(0)) job.reject(error);
        },
      );
    });
  }

  /** Starts every thread and waits until each has built its ledger. */
  async start(): Promise<void> {
    const { file } = await this.prepare();
    if (this.closed) return;
    while (this.threads.length < this.size) this.spawn(file);
    await Promise.all(this.threads.map((t) => t.ready));
  }

  private prepare(): Promise<GeneratorScript> {
    this.script ??= bundleGenerator().then((script) => {
      this.scriptFile = script.file;
      return script;
    });
    return this.script;
  }

  private pump(): void {
    const file = this.scriptFile;
    while (this.queue.length > 0 && file && !this.closed) {
      let thread = this.threads.find((t) => t.busy === undefined);
      if (!thread && this.threads.length < this.size) thread = this.spawn(file);
      if (!thread) return;
      const job = this.queue.shift() as Pending;
      thread.busy = job;
      thread.worker.send({ id: job.id, day: job.day, file: job.file });
    }
  }

  private spawn(file: string): Thread {
    // plain node: the parent's loader (execArgv, e.g. --import tsx) would only cost memory
    const worker = fork(file, [], {
      execArgv: GENERATOR_V8_FLAGS,
      // structured clone, so typed arrays and the deck's Maps cross as they are
      serialization: 'advanced',
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    worker.send({ ledger: this.ledger });
    worker.unref();
    worker.channel?.unref();
    let ready = () => {};
    const thread: Thread = { worker, busy: undefined, ready: new Promise((resolve) => (ready = resolve)) };
    this.threads.push(thread);
    worker.on('message', (message: { ready: true } | DayReply) => {
      if ('ready' in message) return ready();
      const job = thread.busy;
      thread.busy = undefined;
      if (job?.id === message.id) {
        if ('filed' in message) job.resolve(message.filed);
        else if ('result' in message)
          job.resolve(
            message.writeError ? { ...message.result, writeError: message.writeError } : message.result,
          );
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
    worker.on('exit', (code) => lost(new Error(`a generator process exited with code ${code}`)));
    return thread;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the generators are closed'));
    await Promise.all(
      this.threads.splice(0).map(
        (t) =>
          new Promise<void>((resolve) => {
            if (t.worker.exitCode !== null || t.worker.signalCode !== null) return resolve();
            t.worker.once('exit', () => resolve());
            // unref'd at spawn so an idle service can exit; until its 'exit' arrives it must hold
            // the loop, or a caller awaiting close() is left unsettled (exit code 13)
            t.worker.ref();
            t.worker.kill();
          }),
      ),
    );
    const script = await this.script?.catch(() => undefined);
    await script?.remove();
  }
}
