import type { DaySource } from './day-source.ts';
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
    }
    return { day: await this.get(day), release: () => {} };
  }

  private async fetch(day: number): Promise<SerializedDay> {
    const stored = await this.files?.load(day);
    if (stored) {
      this.counts.fileHits++;
      return stored;
    }
    const made = await this.source.day(day);
    this.counts.generated++;
    this.digests.set(day, made.digest);
    this.files?.save(made);
    return made;
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
