import { mkdtemp, readdir, rm, stat, unlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dayFromIso } from '../../api/src/generator/calendar.ts';
import { InlineDaySource } from '../../api/src/generator/day-source.ts';
import { DayStore } from '../../api/src/generator/day-store.ts';
import type { SerializedDay } from '../../api/src/generator/serialize.ts';
import { serializeDay } from '../../api/src/generator/serialize.ts';
import { build, listen } from './helpers.ts';

const FIRST = dayFromIso('2024-01-01');
const days = (n: number) => Array.from({ length: n }, (_, i) => FIRST + i);

describe('the day cache on disk', () => {
  let app: FastifyInstance;
  let parent: string;
  const fresh = (day: number): SerializedDay => serializeDay(day, app.gl.ledger.journalsForDay(day));
  const store = (budgetBytes: number, parentDir = parent, warn = vi.fn()) =>
    new DayStore(new InlineDaySource(app.gl.ledger), { budgetBytes, parentDir, warn });

  beforeAll(async () => {
    app = await build({ generatorThreads: 0, dayCacheBytes: 0 });
    parent = await mkdtemp(path.join(os.tmpdir(), 'day-cache-test-'));
  });
  afterAll(async () => {
    await app.close();
    await rm(parent, { recursive: true, force: true });
  });

  it('serves a day from its file byte for byte as a fresh generation makes it', async () => {
    const cache = store(64 * 1024 * 1024);
    try {
      for (const day of days(5)) await cache.get(day);
      await cache.idle();
      // only the last two days stay in memory: the first three now come from their files
      for (const day of days(3)) {
        const stored = await cache.get(day);
        const made = fresh(day);
        expect(Buffer.from(stored.bytes).equals(Buffer.from(made.bytes))).toBe(true);
        expect(stored).toEqual({ ...made, bytes: stored.bytes });
      }
      expect(cache.stats()).toMatchObject({ days: 5, inMemory: 2, fileHits: 3, generated: 5, failures: 0 });
    } finally {
      await cache.close();
    }
  });

  it('lends days from their files in pooled buffers, reused only once given back', async () => {
    const cache = store(64 * 1024 * 1024);
    const arrayBuffer = (lease: { day: SerializedDay }) => lease.day.bytes.buffer;
    try {
      for (const day of days(8)) await cache.get(day);
      await cache.idle();
      const [a, b, c, d, e] = days(5) as [number, number, number, number, number];
      const first = await cache.lease(a);
      expect(Buffer.from(first.day.bytes).equals(Buffer.from(fresh(a).bytes))).toBe(true);
      expect(first.day).toEqual({ ...fresh(a), bytes: first.day.bytes });
      first.release();
      first.release(); // a second release must not lend one buffer twice
      const second = await cache.lease(b);
      const third = await cache.lease(c);
      expect(arrayBuffer(second)).toBe(arrayBuffer(first)); // reused: hence release only when sent
      expect(arrayBuffer(third)).not.toBe(arrayBuffer(second));
      expect(Buffer.from(second.day.bytes).equals(Buffer.from(fresh(b).bytes))).toBe(true);
      expect(Buffer.from(third.day.bytes).equals(Buffer.from(fresh(c).bytes))).toBe(true);
      second.release();
      third.release();
      expect(cache.stats().pooled).toBe(2);
      // lent days stay out of memory; days in memory are lent as get() shares them
      expect(cache.stats()).toMatchObject({ inMemory: 2, fileHits: 3 });
      await cache.get(d);
      const shared = await cache.lease(d);
      expect(shared.day).toBe(await cache.get(d));
      shared.release();
      expect(cache.stats().pooled).toBe(2);
      // a file gone from under a lease: generated again, its buffer back in the pool
      const dir = cache.stats().dir as string;
      await unlink(path.join(dir, (await readdir(dir)).find((f) => f.startsWith(`${e}-`)) as string));
      const regenerated = await cache.lease(e);
      expect(Buffer.from(regenerated.day.bytes).equals(Buffer.from(fresh(e).bytes))).toBe(true);
      expect(cache.stats()).toMatchObject({ failures: 1, pooled: 2 });
    } finally {
      await cache.close();
    }
  });

  it('exports warm to slow, fast and departing socket clients at once, byte for byte', async () => {
    const service = await build({ generatorThreads: 0, wells: 40, dayCacheDir: parent });
    try {
      const url = `${await listen(service)}/v1/gl/entries?start=2023-11-01&end=2024-01-31`;
      /**
       * The export as a client reads it, on a connection of its own: pausing `pauseMs` after each
       * 256 kB (a slow client, whose socket fills), or leaving after `leaveAfter` bytes.
       */
      const read = (pauseMs: number, leaveAfter = Infinity) =>
        new Promise<Buffer>((resolve, reject) => {
          http
            .get(url, { agent: false, headers: { accept: 'application/x-ndjson' } }, (response) => {
              const chunks: Buffer[] = [];
              let size = 0;
              let paused = 0;
              response.on('data', (chunk: Buffer) => {
                chunks.push(chunk);
                size += chunk.byteLength;
                if (size > leaveAfter) {
                  response.destroy();
                  resolve(Buffer.concat(chunks));
                } else if (pauseMs > 0 && size - paused > 256 * 1024) {
                  paused = size;
                  response.pause();
                  setTimeout(() => response.resume(), pauseMs);
                }
              });
              response.on('end', () => resolve(Buffer.concat(chunks)));
              response.on('error', reject);
            })
            .on('error', reject);
        });
      const cold = await read(0);
      expect(cold.byteLength).toBeGreaterThan(8 * 1024 * 1024); // more than the socket buffers hold
      await service.gl.store.idle();
      const [slow, fast, left, fastAgain] = await Promise.all([read(20), read(0), read(10, 1e6), read(0)]);
      for (const warm of [slow, fast, fastAgain]) expect(warm.equals(cold)).toBe(true);
      expect(cold.subarray(0, left.byteLength).equals(left)).toBe(true);
      const stats = service.gl.store.stats();
      expect(stats.fileHits).toBeGreaterThan(200);
      expect(stats.pooled).toBeGreaterThan(0);
      expect((await read(0)).equals(cold)).toBe(true);
    } finally {
      await service.close();
    }
  });

  it('stays within its byte bound: eviction deletes the files, close removes the folder', async () => {
    const dayBytes = fresh(FIRST).bytes.byteLength;
    const budget = Math.floor(dayBytes * 3.5);
    const cache = store(budget);
    try {
      for (const day of days(10)) {
        await cache.get(day);
        await cache.idle();
        const { dir, bytes } = cache.stats();
        const files = await readdir(dir as string);
        const sizes = await Promise.all(files.map((f) => stat(path.join(dir as string, f))));
        const onDisk = sizes.reduce((n, s) => n + s.size, 0);
        expect(onDisk).toBe(bytes);
        expect(onDisk).toBeLessThanOrEqual(budget);
      }
      const { dir, days: kept } = cache.stats();
      expect(kept).toBeGreaterThanOrEqual(2);
      expect((await readdir(dir as string)).map((f) => Number(f.split('-')[0])).sort()).toEqual(
        days(10).slice(-kept),
      );
      // an evicted day is generated again, the same bytes
      const again = await cache.get(FIRST);
      expect(Buffer.from(again.bytes).equals(Buffer.from(fresh(FIRST).bytes))).toBe(true);
      await cache.close();
      await expect(stat(dir as string)).rejects.toThrow(/ENOENT/);
    } finally {
      await cache.close();
    }
  });

  it('serves from generation when the disk fails, and says so once', async () => {
    // a regular file where the folder should be made: every write fails (ENOTDIR)
    const notADir = path.join(parent, 'not-a-folder');
    await writeFile(notADir, 'x');
    const warn = vi.fn();
    const broken = store(64 * 1024 * 1024, notADir, warn);
    try {
      for (const day of days(4)) {
        const served = await broken.get(day);
        expect(Buffer.from(served.bytes).equals(Buffer.from(fresh(day).bytes))).toBe(true);
      }
      await broken.idle();
      expect(broken.stats()).toMatchObject({ days: 0, failures: 4 });
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      await broken.close();
    }

    // a file gone from under the store: read fails, the day is generated again
    const readWarn = vi.fn();
    const cache = store(64 * 1024 * 1024, parent, readWarn);
    try {
      for (const day of days(4)) await cache.get(day);
      await cache.idle();
      const dir = cache.stats().dir as string;
      for (const f of await readdir(dir)) await unlink(path.join(dir, f));
      for (const day of days(2)) {
        const served = await cache.get(day);
        expect(Buffer.from(served.bytes).equals(Buffer.from(fresh(day).bytes))).toBe(true);
      }
      expect(cache.stats()).toMatchObject({ fileHits: 0, generated: 6, failures: 2 });
      expect(readWarn).toHaveBeenCalledTimes(1);
    } finally {
      await cache.close();
    }
  });

  it('keeps the service answering when its cache folder cannot be made', async () => {
    const notADir = path.join(parent, 'also-not-a-folder');
    await writeFile(notADir, 'x');
    const service = await build({ generatorThreads: 0, dayCacheDir: notADir });
    try {
      const query = '/v1/gl/entries?start=2024-01-02&end=2024-01-09';
      const headers = { accept: 'application/x-ndjson' };
      const first = await service.inject({ url: query, headers });
      const second = await service.inject({ url: query, headers });
      const reference = await app.inject({ url: query, headers });
      expect(first.statusCode).toBe(200);
      expect(second.rawPayload.equals(reference.rawPayload)).toBe(true);
      expect(first.rawPayload.equals(reference.rawPayload)).toBe(true);
    } finally {
      await service.close();
    }
  });
});

describe('days generated into the day cache by the generator processes', () => {
  let parent: string;
  beforeAll(async () => {
    parent = await mkdtemp(path.join(os.tmpdir(), 'day-cache-workers-test-'));
  });
  afterAll(() => rm(parent, { recursive: true, force: true }));

  const generated = (service: FastifyInstance) => (day: number) =>
    serializeDay(day, service.gl.ledger.journalsForDay(day));

  it('lends a cold day from the file its generator wrote, never holding it in the heap', async () => {
    const service = await build({ generatorThreads: 2, wells: 40, dayCacheDir: parent });
    const fresh = generated(service);
    const { store } = service.gl;
    try {
      for (const day of days(6)) {
        const lease = await store.lease(day);
        const made = fresh(day);
        expect(Buffer.from(lease.day.bytes).equals(Buffer.from(made.bytes))).toBe(true);
        expect(lease.day).toEqual({ ...made, bytes: lease.day.bytes });
        lease.release();
      }
      // generated once each, listed as files, none kept in memory (a day sent as bytes would be)
      expect(store.stats()).toMatchObject({ days: 6, generated: 6, inMemory: 0, failures: 0 });
      expect((await readdir(store.stats().dir as string)).length).toBe(6);
      // pages and stream events read a generated file back whole
      const [day] = days(1) as [number];
      expect(Buffer.from((await store.get(day)).bytes).equals(Buffer.from(fresh(day).bytes))).toBe(true);
    } finally {
      await service.close();
    }
  });

  it('serves the bytes a generator sends when it cannot write the file, counting each failure', async () => {
    const service = await build({ generatorThreads: 2, wells: 40, dayCacheDir: parent });
    const fresh = generated(service);
    const { store } = service.gl;
    try {
      const [first, ...rest] = days(4) as [number, ...number[]];
      (await store.lease(first)).release();
      await rm(store.stats().dir as string, { recursive: true }); // every later write fails (ENOENT)
      for (const day of rest) {
        const lease = await store.lease(day);
        expect(Buffer.from(lease.day.bytes).equals(Buffer.from(fresh(day).bytes))).toBe(true);
        lease.release();
      }
      expect(store.stats()).toMatchObject({ days: 1, generated: 4, failures: 3 });
    } finally {
      await service.close();
    }
  });

  it('reads back and removes a written file the byte bound has no room for', async () => {
    const service = await build({ generatorThreads: 2, wells: 40, dayCacheDir: parent, dayCacheBytes: 1000 });
    const fresh = generated(service);
    const { store } = service.gl;
    try {
      for (const day of days(3)) {
        const lease = await store.lease(day);
        expect(Buffer.from(lease.day.bytes).equals(Buffer.from(fresh(day).bytes))).toBe(true);
        lease.release();
      }
      expect(store.stats()).toMatchObject({ days: 0, bytes: 0, generated: 3, failures: 0 });
      expect(await readdir(store.stats().dir as string)).toEqual([]);
    } finally {
      await service.close();
    }
  });
});
