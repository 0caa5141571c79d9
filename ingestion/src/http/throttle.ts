/**
 * Spaces request starts evenly: at most `requestsPerSecond` starts in any second, shared by
 * everything holding the same throttle (e.g. all pages and retries of one EIA client).
 */
import { sleep } from '../load/retry.ts';

export interface Throttle {
  /** Resolves when the caller may start its request. */
  wait(signal?: AbortSignal): Promise<void>;
}

export function createThrottle(requestsPerSecond: number): Throttle {
  if (!(requestsPerSecond > 0)) throw new Error(`requestsPerSecond must be > 0, got ${requestsPerSecond}`);
  const intervalMs = 1000 / requestsPerSecond;
  let next = 0;
  return {
    async wait(signal) {
      const now = performance.now();
      const at = Math.max(now, next);
      next = at + intervalMs;
      if (at > now) await sleep(at - now, signal);
    },
  };
}
