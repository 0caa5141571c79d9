import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { untilNextSlotMs } from '../../api/src/generator/stream-slots.ts';
import { build, listen, ndjsonLines, NOW, readEvents } from './helpers.ts';
import type { SseEvent } from './helpers.ts';

const lines = (events: SseEvent[]) =>
  events.flatMap((e) => (JSON.parse(e.data) as unknown[]).map((l) => JSON.stringify(l)));

describe('GET /get-gl (SSE over a real socket)', () => {
  const apps: FastifyInstance[] = [];
  const start = async (overrides = {}) => {
    const app = await build(overrides);
    apps.push(app);
    return { app, url: await listen(app) };
  };
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  it('starts with the last completed slot, then emits one event per interval as the clock moves', async () => {
    let now = NOW;
    const { url } = await start({ now: () => now });
    const pending = readEvents(`${url}/get-gl`, 3);
    setTimeout(() => (now += 2 * 3600_000), 100);
    const events = await pending;
    expect(events.map((e) => e.id)).toEqual([
      '2024-01-31T06:00:00Z',
      '2024-01-31T07:00:00Z',
      '2024-01-31T08:00:00Z',
    ]);
  });

  it(
    'sends a live slot the moment it ends, to every client alike, not at the next poll',
    { timeout: 30_000 },
    async () => {
      // a real clock on 1 s slots, but a poll period of a minute: only waking at the slot's end
      // delivers three events to each client within the test's time
      const t0 = Date.now();
      const { url } = await start({
        streamIntervalS: 1,
        streamPollMs: 60_000,
        now: () => NOW + (Date.now() - t0),
      });
      const [a, b] = await Promise.all([readEvents(`${url}/get-gl`, 4), readEvents(`${url}/get-gl`, 4)]);
      const seconds = (events: SseEvent[]) => events.map((e) => Date.parse(e.id ?? '') / 1000);
      const ids = seconds(a ?? []);
      expect(ids.slice(1).map((t, i) => t - (ids[i] as number))).toEqual([1, 1, 1]);
      expect(b).toEqual(a);
    },
  );

  it('sleeps until the slot in progress ends, capped by the poll period', () => {
    const t = Date.parse('2024-01-31T06:00:10.250Z');
    const watermark = Date.parse('2024-01-31T06:00:00Z') / 1000;
    expect(untilNextSlotMs(t, watermark, 30, 60_000)).toBe(19_751);
    expect(untilNextSlotMs(t, watermark, 30, 1000)).toBe(1000);
    // before GL_AS_OF the watermark is ahead of the clock: the next change is a slot after it
    expect(untilNextSlotMs(t, watermark + 3600, 30, 60_000)).toBe(60_000);
    expect(untilNextSlotMs(t + 19_750, watermark, 30, 60_000)).toBe(1);
  });

  it('replays exactly the lines the batch endpoint serves for the same span, without splitting journals', async () => {
    const { app, url } = await start();
    const events = await readEvents(`${url}/get-gl`, 48, { 'last-event-id': '2024-01-29T00:00:00Z' });
    expect(events[0]?.id).toBe('2024-01-29T01:00:00Z');
    expect(events.at(-1)?.id).toBe('2024-01-31T00:00:00Z');
    expect(lines(events)).toEqual(await ndjsonLines(app, '2024-01-29', '2024-01-30'));
    const journalsSeen = new Map<string, string>();
    for (const event of events) {
      for (const line of JSON.parse(event.data) as { journal_id: string }[]) {
        const other = journalsSeen.get(line.journal_id);
        expect(other === undefined || other === event.id, `${line.journal_id} split`).toBe(true);
        journalsSeen.set(line.journal_id, event.id ?? '');
      }
    }
  });

  it('resumes with Last-Event-ID exactly after that event: no gap, no repeat', async () => {
    const { url } = await start();
    const all = await readEvents(`${url}/get-gl`, 12, { 'last-event-id': '2024-01-30T12:00:00Z' });
    const resumed = await readEvents(`${url}/get-gl`, 7, { 'last-event-id': all[4]?.id ?? '' });
    expect(resumed).toEqual(all.slice(5));
    const viaQuery = await readEvents(`${url}/get-gl?last_event_id=${all[4]?.id}`, 7);
    expect(viaQuery).toEqual(all.slice(5));
  });

  it('resumes across a server restart', async () => {
    const first = await start();
    const before = await readEvents(`${first.url}/get-gl`, 10, { 'last-event-id': '2024-01-30T10:00:00Z' });
    await first.app.close();
    const second = await start();
    const after = await readEvents(`${second.url}/get-gl`, 5, { 'last-event-id': before[4]?.id ?? '' });
    expect(after).toEqual(before.slice(5));
  });

  it('catches up from the start of history when the id is older than the served span', async () => {
    const { url } = await start();
    const events = await readEvents(`${url}/get-gl`, 2, { 'last-event-id': '2020-01-01T00:00:00Z' });
    expect(events.map((e) => e.id)).toEqual(['2023-01-31T01:00:00Z', '2023-01-31T02:00:00Z']);
  });

  it('sends heartbeats as comments while waiting', async () => {
    const { url } = await start();
    const controller = new AbortController();
    const res = await fetch(`${url}/get-gl`, { signal: controller.signal });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes(': heartbeat')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  });

  it('rejects a malformed Last-Event-ID with problem+json', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/get-gl`, { headers: { 'last-event-id': 'yesterday' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('closes open streams on shutdown', async () => {
    const { app, url } = await start();
    const res = await fetch(`${url}/get-gl`);
    const reader = res.body!.getReader();
    await reader.read();
    await app.close();
    let done = false;
    while (!done) done = (await reader.read()).done;
    expect(done).toBe(true);
  });
});
