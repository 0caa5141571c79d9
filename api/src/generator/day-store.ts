import type { DaySource, GeneratedDay } from './day-source.ts';
import type { DayFilesOptions, DayFilesStats, DayLease } from './day-files.ts';
import { DayFiles } from './day-files.ts';
import type { SerializedDay } from './serialize.ts';

/** However small the byte budget, this many recent days stay in memory: streams and pages revisit them. */
const MIN_DAYS_KEPT = 2;

export interface DayStoreStats extends DayFilesStats {
  /** Days held in the heap (at most MIN_DAYS_KEPT). */
  inMemory: number;
  /** Answers from the heap, from a file, and days generated. */
  memoryHits: number;
  fileHits: number;
  generated: number;
}

/**
 * Serialized days by day number, in front of a DaySource: the last few in memory, the rest as
 * files bounded in bytes (DayFiles), concurrent requests for one day sharing one generation or
 * read. A stored day is the very bytes generation produced, so a hit can never change a byte.
 * Digests of every day seen are kept (43 bytes each) after the day itself is evicted: they make
 * ETags computable without the data.
 */
export class DayStore {
  private readonly recent = new Map<number, SerializedDay>();
  private readonly inflight = new Map<number, Promise<SerializedDay>>();
  /** Generations under way: a day read by get() and lease() at once is generated once. */
  private readonly generating = new Map<number, Promise<SerializedDay | undefined>>();
  private readonly digests = new Map<number, string>();
  private readonly files: DayFiles | undefined;
  private readonly counts = { memoryHits: 0, fileHits: 0, generated: 0 };

  constructor(
    private readonly source: DaySource,
    files: DayFilesOptions,
  ) {
    this.files = files.budgetBytes > 0 ? new DayFiles(files) : undefined;
  }

  get(day: number): Promise<SerializedDay> {
    const hit = this.recent.get(day);
    if (hit) {
      this.counts.memoryHits++;
      this.keep(hit);
      return Promise.resolve(hit);
    }
    let pending = this.inflight.get(day);
    if (!pending) {
      pending = this.fetch(day).then(
        (result) => {
          this.inflight.delete(day);
          this.keep(result);
          return result;
        },
        (error: unknown) => {
          this.inflight.delete(day);
          throw error;
        },
      );
      this.inflight.set(day, pending);
    }
    return pending;
  }

  /**
   * The day for one reader that gives it back (release()) once nothing reads its bytes: a day
   * from a file comes in a pooled buffer, read for this lease alone and kept out of memory; any
   * other is shared as get() shares it.
   */
  async lease(day: number): Promise<DayLease> {
    if (!this.recent.has(day) && !this.inflight.has(day)) {
      const leased = await this.files?.lease(day);
      if (leased) {
        this.counts.fileHits++;
        return leased;
      }
      if (this.files && this.source.dayInto) {
        // generated into a file, the day is lent from it as a stored day is: never in the heap whole
        const made = await this.generate(day);
        if (made) {
          this.keep(made);
          return { day: made, release: () => {} };
        }
        const fresh = await this.files.lease(day);
        if (fresh) return fresh;
      }
    }
    return { day: await this.get(day), release: () => {} };
  }

  private async fetch(day: number): Promise<SerializedDay> {
    const stored = await this.files?.load(day);
    if (stored) {
      this.counts.fileHits++;
      return stored;
    }
    // undefined: a generator wrote the day's file, read back here (or, failing that, made again)
    const made = (await this.generate(day)) ?? (await this.files?.load(day));
    if (made) return made;
    this.counts.generated++;
    return this.source.day(day);
  }

  /**
   * Generates a day once for all who ask meanwhile: into a file of the cache when the source
   * writes files (undefined returned: the day is listed), else as bytes, saved in the background.
   */
  private generate(day: number): Promise<SerializedDay | undefined> {
    let pending = this.generating.get(day);
    if (!pending) {
      pending = this.produce(day).finally(() => this.generating.delete(day));
      this.generating.set(day, pending);
    }
    return pending;
  }

  private async produce(day: number): Promise<SerializedDay | undefined> {
    const file = this.source.dayInto ? await this.files?.slot(day) : undefined;
    const made: GeneratedDay =
      file && this.source.dayInto ? await this.source.dayInto(day, file) : await this.source.day(day);
    this.counts.generated++;
    this.digests.set(day, made.digest);
    if ('file' in made) {
      if (this.files?.adopt(made)) return undefined;
      return (await this.files?.take(made)) ?? this.source.day(day);
    }
    const { writeError, ...bytes } = made;
    if (writeError) {
      // the disk failed the generator: counted, and the bytes it sent instead are served
      this.files?.writeFailed(writeError);
      return bytes;
    }
    this.files?.save(bytes);
    return bytes;
  }

  /** The digest of a day generated before, whether or not it is still stored. */
  digest(day: number): string | undefined {
    return this.digests.get(day);
  }

  stats(): DayStoreStats {
    const files = this.files?.stats() ?? { days: 0, bytes: 0, dir: undefined, failures: 0, pooled: 0 };
    return { ...files, inMemory: this.recent.size, ...this.counts };
  }

  /** Resolves when the files of every day generated so far are written (or failed). */
  idle(): Promise<void> {
    return this.files?.idle() ?? Promise.resolve();
  }

  private keep(result: SerializedDay): void {
    this.recent.delete(result.day);
    this.recent.set(result.day, result);
    for (const oldest of this.recent.keys()) {
      if (this.recent.size <= MIN_DAYS_KEPT) break;
      this.recent.delete(oldest);
    }
  }

  start(): Promise<void> {
    return this.source.start();
  }

  async close(): Promise<void> {
    try {
      await this.source.close();
    } finally {
      await this.files?.close();
    }
  }
}
