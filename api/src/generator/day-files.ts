import { mkdtemp, open, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BufferPool } from './buffer-pool.ts';
import type { FiledDay, SerializedDay } from './serialize.ts';

/** What stays in the heap of a day whose bytes are in a file: a few kB, against ~1 MB of NDJSON. */
type DayIndex = FiledDay;

/**
 * A day lent to one reader, who calls release() once, when nothing reads its bytes any more: they
 * may be a pooled buffer, which the next lease overwrites.
 */
export interface DayLease {
  day: SerializedDay;
  release(): void;
}

/** Pooled read buffers kept for reuse: an export holds its read-ahead days plus the one being sent. */
const POOLED_BUFFERS = 6;

/**
 * Reads `file` into `into`, which has room for at least one byte more than expected: the count
 * read tells a truncated or a grown file from a complete one without a stat.
 */
async function readInto(file: string, into: Buffer): Promise<number> {
  const handle = await open(file, 'r');
  try {
    let at = 0;
    while (at < into.byteLength) {
      const { bytesRead } = await handle.read(into, at, into.byteLength - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return at;
  } finally {
    await handle.close();
  }
}

/**
 * A stored day read back into `buffer` (at least one byte larger than the file should be): its
 * index with the bytes read; throws when the file does not hold exactly the bytes written.
 */
async function readDay(filed: FiledDay, buffer: Buffer): Promise<SerializedDay> {
  const { size, file, ...meta } = filed;
  const read = await readInto(file, buffer.subarray(0, size + 1));
  if (read !== size) throw new Error(`${file} does not hold the ${size} bytes written`);
  return { ...meta, bytes: buffer.subarray(0, size) };
}

export interface DayFilesOptions {
  /** Files of the served days may take this many bytes at most; 0 writes none. */
  budgetBytes: number;
  /** The folder in which this store makes a fresh folder of its own (default: the OS temp folder). */
  parentDir?: string | undefined;
  /** Told of the first disk failure only: after it, failed days are just generated again. */
  warn: (err: unknown, message: string) => void;
}

export interface DayFilesStats {
  days: number;
  bytes: number;
  /** Where the files are, once the first one was written. */
  dir: string | undefined;
  /** Writes and reads that failed (each such day was served from generation instead). */
  failures: number;
  /** Read buffers given back and waiting for the next lease. */
  pooled: number;
}

/**
 * Serialized days as files, an LRU bounded in bytes: the kernel's page cache keeps the hot ones in
 * memory without charging them to this process, which is what lets a year be cached at a few
 * hundred MB of RSS. A file is listed only once completely written and read back only if it has
 * its full length; the folder is this process's own (mkdtemp, mode 0700), made on first use and
 * removed by close(), so no other process's or earlier run's files are ever read. A file is
 * written either here (save(), bytes generated in this process) or by a generator process into a
 * name this store gave it (slot(), then adopt()), which keeps the bytes out of this process.
 */
export class DayFiles {
  /** Days with a complete file, least recently used first. */
  private readonly index = new Map<number, DayIndex>();
  /** Days being written: served from these buffers until their files are listed. */
  private readonly writing = new Map<number, { day: SerializedDay; done: Promise<void> }>();
  /** Evicted files not yet deleted: a write waits for them, so the folder never exceeds the budget. */
  private readonly deleting = new Set<Promise<void>>();
  /** Bytes of listed files plus files being written: never above the budget. */
  private reserved = 0;
  private dir: Promise<string> | undefined;
  private dirPath: string | undefined;
  /** Every write gets a file name of its own, so an eviction's unlink never meets a newer write. */
  private writes = 0;
  private failures = 0;
  private closed = false;
  private readonly pool = new BufferPool(POOLED_BUFFERS);

  constructor(private readonly options: DayFilesOptions) {}

  /** Writes a day's file in the background; a failure is counted, never thrown. */
  save(day: SerializedDay): void {
    const size = day.bytes.byteLength;
    if (this.closed || this.index.has(day.day) || this.writing.has(day.day)) return;
    if (!this.reserve(size)) return;
    this.writing.set(day.day, { day, done: this.write(day, size) });
  }

  private async write(day: SerializedDay, size: number): Promise<void> {
    let file: string | undefined;
    try {
      file = this.newFile(await this.directory(), day.day);
      await Promise.all(this.deleting);
      await writeFile(file, day.bytes);
      // Copies: arrays that came from a generator process are views into the whole message
      // (bytes included), which they would keep alive in the heap.
      this.index.set(day.day, {
        day: day.day,
        starts: day.starts.slice(),
        postedAt: day.postedAt.slice(),
        lineCounts: day.lineCounts.slice(),
        digest: day.digest,
        size,
        file,
      });
    } catch (err) {
      this.reserved -= size;
      this.failed(err, 'could not write a day to the day cache folder');
      if (file) await unlink(file).catch(() => undefined); // what a failed write left
    } finally {
      this.writing.delete(day.day);
    }
  }

  /**
   * A new file name in this store's folder for a generator process to write a day to (adopt() then
   * lists it); undefined once closed or when the folder cannot be made (counted as a failure).
   */
  async slot(day: number): Promise<string | undefined> {
    if (this.closed) return undefined;
    try {
      const dir = await this.directory();
      // as a write of our own does: the folder holds no more than the budget plus days in progress
      await Promise.all(this.deleting);
      return this.newFile(dir, day);
    } catch (err) {
      this.failed(err, 'could not make the day cache folder');
      return undefined;
    }
  }

  /**
   * Lists a file a generator wrote to a slot(), evicting the least recently used to make room;
   * false (the file left in place) when it cannot be listed: the caller then take()s it.
   */
  adopt(filed: FiledDay): boolean {
    if (this.closed || this.index.has(filed.day) || this.writing.has(filed.day)) return false;
    if (!this.reserve(filed.size)) return false;
    this.index.set(filed.day, filed);
    return true;
  }

  /** A written file that was not listed: its bytes in a buffer of their own, and the file removed. */
  async take(filed: FiledDay): Promise<SerializedDay | undefined> {
    try {
      return await readDay(filed, Buffer.allocUnsafeSlow(filed.size + 1));
    } catch (err) {
      this.failed(err, 'could not read a day from the day cache folder');
      return undefined;
    } finally {
      await unlink(filed.file).catch(() => undefined);
    }
  }

  /** A generator could not write its day's file (it sent the bytes instead): counted, told once. */
  writeFailed(reason: string): void {
    this.failed(new Error(reason), 'could not write a day to the day cache folder');
  }

  /** The day from its file (or its pending write), its own buffer; undefined if not stored or unreadable. */
  async load(day: number): Promise<SerializedDay | undefined> {
    const pending = this.writing.get(day);
    if (pending) return pending.day;
    return (await this.read(day, (size) => Buffer.allocUnsafeSlow(size)))?.day;
  }

  /**
   * The day from its file in a pooled buffer, given back by the lease's release(); undefined when
   * not in a file (a day being written is not lent: load() serves it).
   */
  lease(day: number): Promise<DayLease | undefined> {
    if (this.writing.has(day)) return Promise.resolve(undefined);
    return this.read(
      day,
      (size) => this.pool.acquire(size),
      (buffer) => this.pool.release(buffer),
    );
  }

  private async read(
    day: number,
    allocate: (size: number) => Buffer,
    release: (buffer: Buffer) => void = () => {},
  ): Promise<DayLease | undefined> {
    const index = this.index.get(day);
    if (!index) return undefined;
    this.index.delete(day);
    this.index.set(day, index);
    const buffer = allocate(index.size + 1);
    let stored: SerializedDay;
    try {
      stored = await readDay(index, buffer);
    } catch (err) {
      release(buffer);
      // evicted while being read: not a failure, the day is generated again
      if (this.index.get(day) !== index) return undefined;
      this.drop(day, index);
      this.failed(err, 'could not read a day from the day cache folder');
      return undefined;
    }
    let released = false;
    return {
      day: stored,
      // twice would put one buffer in the pool twice: two readers of one buffer
      release: () => {
        if (released) return;
        released = true;
        release(buffer);
      },
    };
  }

  stats(): DayFilesStats {
    let bytes = 0;
    for (const index of this.index.values()) bytes += index.size;
    return {
      days: this.index.size,
      bytes,
      dir: this.dirPath,
      failures: this.failures,
      pooled: this.pool.size,
    };
  }

  /** Resolves when every write and deletion begun so far has finished (or failed). */
  async idle(): Promise<void> {
    await Promise.all([...[...this.writing.values()].map((w) => w.done), ...this.deleting]);
  }

  /** Waits for pending writes, then removes the folder and everything in it. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
    const dir = await this.dir?.catch(() => undefined);
    this.index.clear();
    this.reserved = 0;
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  /** Makes room for `size` bytes by evicting the least recently used files; false if it cannot. */
  private reserve(size: number): boolean {
    if (size > this.options.budgetBytes) return false;
    for (const [day, index] of this.index) {
      if (this.reserved + size <= this.options.budgetBytes) break;
      this.drop(day, index);
    }
    // what is left over the budget is files still being written: skip this day rather than exceed it
    if (this.reserved + size > this.options.budgetBytes) return false;
    this.reserved += size;
    return true;
  }

  private drop(day: number, index: DayIndex): void {
    this.index.delete(day);
    this.reserved -= index.size;
    const deleted: Promise<void> = unlink(index.file)
      .catch(() => undefined)
      .finally(() => this.deleting.delete(deleted));
    this.deleting.add(deleted);
  }

  /** A name in `dir` no write used before (`writes`). */
  private newFile(dir: string, day: number): string {
    return path.join(dir, `${day}-${++this.writes}.ndjson`);
  }

  /** This store's folder, made on first use. */
  private directory(): Promise<string> {
    this.dir ??= mkdtemp(path.join(this.options.parentDir ?? os.tmpdir(), 'gl-day-cache-')).then(
      (dir) => (this.dirPath = dir),
    );
    return this.dir;
  }

  private failed(err: unknown, message: string): void {
    this.failures++;
    if (this.failures === 1)
      this.options.warn(err, `${message}; serving such days from generation (logged once)`);
  }
}
