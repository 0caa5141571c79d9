import type { DaySource } from './day-source.ts';
import type { SerializedDay } from './serialize.ts';

/** However small the byte budget, this many recent days stay: streams and pages revisit them. */
const MIN_DAYS_KEPT = 2;

/**
 * Serialized days by day number: an LRU bounded in bytes in front of a DaySource, with
 * concurrent requests for one day sharing one generation. A cached day is the very buffer
 * generation produced, so a hit can never change a byte. Digests of every day seen are kept
 * (43 bytes each) after the day itself is evicted: they make ETags computable without the data.
 */
export class DayStore {
  private readonly cache = new Map<number, SerializedDay>();
  private readonly inflight = new Map<number, Promise<SerializedDay>>();
  private readonly digests = new Map<number, string>();
  private cachedBytes = 0;

  constructor(
    private readonly source: DaySource,
    private readonly budgetBytes: number,
  ) {}

  get(day: number): Promise<SerializedDay> {
    const hit = this.cache.get(day);
    if (hit) {
      this.cache.delete(day);
      this.cache.set(day, hit);
      return Promise.resolve(hit);
    }
    let pending = this.inflight.get(day);
    if (!pending) {
      pending = this.source.day(day).then(
        (result) => {
          this.inflight.delete(day);
          this.digests.set(day, result.digest);
          this.remember(result);
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

  /** The digest of a day generated before, whether or not it is still cached. */
  digest(day: number): string | undefined {
    return this.digests.get(day);
  }

  stats(): { days: number; bytes: number } {
    return { days: this.cache.size, bytes: this.cachedBytes };
  }

  private remember(result: SerializedDay): void {
    this.cache.set(result.day, result);
    this.cachedBytes += result.bytes.byteLength;
    while (this.cachedBytes > this.budgetBytes && this.cache.size > MIN_DAYS_KEPT) {
      const [oldest, dropped] = this.cache.entries().next().value as [number, SerializedDay];
      this.cache.delete(oldest);
      this.cachedBytes -= dropped.bytes.byteLength;
    }
  }

  start(): Promise<void> {
    return this.source.start();
  }

  close(): Promise<void> {
    return this.source.close();
  }
}
