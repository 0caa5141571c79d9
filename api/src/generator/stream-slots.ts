import { isoInstant, parseIsoInstant, SECONDS_PER_DAY } from './calendar.ts';

/**
 * The live stream runs on the wall clock: ledger time is UTC wall time, and each day is cut into
 * slots of GL_STREAM_INTERVAL_S seconds (the grid restarts at every midnight, so a slot never
 * spans two days). A slot's event carries the journals posted inside it and its id is the
 * instant the slot ends: "everything posted before this instant has been delivered". Ids are
 * therefore independent of when or where the server started, and a client resumes by asking
 * for what was posted from its last id on.
 */
export function slotStart(t: number, intervalS: number): number {
  const dayStart = Math.floor(t / SECONDS_PER_DAY) * SECONDS_PER_DAY;
  return dayStart + Math.floor((t - dayStart) / intervalS) * intervalS;
}

/** The first slot boundary strictly after t. */
export function nextBoundary(t: number, intervalS: number): number {
  const dayEnd = (Math.floor(t / SECONDS_PER_DAY) + 1) * SECONDS_PER_DAY;
  return Math.min(slotStart(t, intervalS) + intervalS, dayEnd);
}

/**
 * How long an open stream sleeps: until the slot in progress completes (a millisecond after, so
 * the watermark has moved when it wakes), never longer than pollMs. Polling on a fixed period
 * instead would add up to a whole period to every event's latency; the cap keeps injected
 * clocks that run faster than the wall clock (tests) and the heartbeat on time.
 */
export function untilNextSlotMs(nowMs: number, watermark: number, intervalS: number, pollMs: number): number {
  const nowS = Math.floor(nowMs / 1000);
  // a slot completed since `watermark` was read: go and send it
  if (slotStart(nowS, intervalS) > watermark) return 1;
  const nextWatermarkMs = nextBoundary(Math.max(watermark, nowS), intervalS) * 1000;
  return Math.min(pollMs, Math.max(1, nextWatermarkMs - nowMs + 1));
}

export interface ServedSpan {
  /** Unix seconds of the first instant served (00:00 UTC, 365 days before GL_AS_OF). */
  from: number;
  /** Unix seconds up to which (exclusive) lines are served: the end of the last completed slot. */
  watermark: number;
}

/**
 * History is the 365 days before GL_AS_OF and is always complete; after that, lines are
 * served as their slot completes on the wall clock.
 */
export function servedSpan(asOfDay: number, intervalS: number, nowMs: number): ServedSpan {
  const asOf = asOfDay * SECONDS_PER_DAY;
  const now = Math.floor(nowMs / 1000);
  return { from: asOf - 365 * SECONDS_PER_DAY, watermark: Math.max(asOf, slotStart(now, intervalS)) };
}

export function eventId(slotEnd: number): string {
  return isoInstant(slotEnd);
}

export function parseEventId(id: string): number | undefined {
  return parseIsoInstant(id.trim());
}
