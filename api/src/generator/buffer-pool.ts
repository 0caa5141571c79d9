/** Allocations are rounded up to this, so buffers made for one day fit the next few. */
const GRANULE = 256 * 1024;

/**
 * Buffers to read days into, used again once given back: a warm export reading a fresh ~1 MB
 * buffer per day spent more CPU collecting them than sending them (ADR 36). The pool never knows
 * whether a buffer is still in use; whoever acquires one gives it back exactly once, and only
 * when nothing can read it any more (for a socket: in its write callback).
 */
export class BufferPool {
  private readonly free: Buffer[] = [];
  /** The largest size asked for: new buffers take at least this, so they fit every day seen. */
  private largest = 0;

  /** `maxFree` buffers at most wait for reuse; any more given back are left to the collector. */
  constructor(private readonly maxFree: number) {}

  /** A buffer of at least `size` bytes, of unspecified content. */
  acquire(size: number): Buffer {
    for (let buffer = this.free.pop(); buffer; buffer = this.free.pop()) {
      // too small means it predates a larger day: dropped, the next one made fits them all
      if (buffer.byteLength >= size) return buffer;
    }
    this.largest = Math.max(this.largest, size);
    // its own memory, never a slice of Node's shared pool (which other code writes into)
    return Buffer.allocUnsafeSlow(Math.ceil(this.largest / GRANULE) * GRANULE);
  }

  release(buffer: Buffer): void {
    if (this.free.length < this.maxFree && buffer.byteLength >= this.largest) this.free.push(buffer);
  }

  /** Buffers waiting for reuse (for tests and stats). */
  get size(): number {
    return this.free.length;
  }
}
