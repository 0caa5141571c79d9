/**
 * The EIA response archive (raw.eia_responses) grows only with responses that change the data:
 * - the same request answered with the same body, and the look-back re-fetch of a rerun, add no
 *   archive row; the batch of the re-fetch records the body hashes it received;
 * - a revised value archives the response that brought it, and so does a value EIA puts back
 *   (a body byte-identical to an archived one, which must still replay after the revision);
 * - replaying the archive alone rebuilds the observations and their revision history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayEiaArchive } from '../../ingestion/src/eia/archive.ts';
import { startEiaReplayServer, type EiaReplayServer } from '../../ingestion/src/eia/replay/server.ts';
import {
  batches,
  EIA_DIR,
  eiaDatabase,
  quietLog,
  run,
  snapshot,
  type EiaTestDatabase,
} from './eia-helpers.ts';

let server: EiaReplayServer;
let db: EiaTestDatabase;

beforeAll(async () => {
  server = await startEiaReplayServer({ dir: EIA_DIR, port: 0 });
  db = await eiaDatabase();
});
afterAll(async () => {
  await db?.drop();
  await server?.close();
});

const archive = () =>
  db
    .query<{ entity: string; body_hash: string; batch_id: string }>(
      `SELECT b.entity, r.body_hash, r.batch_id
         FROM raw.eia_responses r JOIN ops.ingestion_batches b USING (batch_id) ORDER BY r.response_id`,
    )
    .then((r) => r.rows);

const lastBatch = async (series: string) => (await batches(db)).filter((b) => b.entity === series).at(-1)!;

describe('the EIA response archive', () => {
  const series = ['RWTC', 'MCRFPTX1'];
  const range = { series, from: '2019-01-01', to: '2019-12-31' };

  it('archives a first load; the same request answered the same adds no row', async () => {
    const first = await run(db.pool, server.baseUrl, range);
    expect(first.map((o) => [o.series, o.status])).toEqual([
      ['RWTC', 'succeeded'],
      ['MCRFPTX1', 'succeeded'],
    ]);
    const archived = await archive();
    expect(archived.map((a) => a.entity)).toEqual(['RWTC', 'MCRFPTX1']);

    const again = await run(db.pool, server.baseUrl, range);
    expect(again.map((o) => o.counts?.unchanged)).toEqual(first.map((o) => o.counts?.received));
    expect(await archive()).toEqual(archived);
    // the re-fetch is on record in its batch: the same body, received again, not stored again
    const refetch = await lastBatch('RWTC');
    expect(refetch.status).toBe('succeeded');
    expect(refetch.params).toMatchObject({ responses: [archived[0]!.body_hash], archived_responses: 0 });
  });

  it('a rerun from the watermark (the look-back re-fetch) adds no row', async () => {
    const before = await archive();
    const rerun = await run(db.pool, server.baseUrl, { series });
    for (const outcome of rerun) {
      expect(outcome.range?.mode, outcome.series).toBe('incremental');
    }
    // the look-back window overlaps the loaded months; periods after them are new rows
    const grew = rerun.filter((o) => (o.counts?.inserted ?? 0) > 0).map((o) => o.series);
    expect((await archive()).length).toBe(before.length + grew.length);
    const steady = await archive();
    const lookBack = await run(db.pool, server.baseUrl, { series });
    expect(lookBack.every((o) => o.counts?.inserted === 0 && o.counts.revised === 0)).toBe(true);
    expect(await archive()).toEqual(steady);
    expect((await lastBatch('MCRFPTX1')).params).toMatchObject({
      mode: 'incremental',
      archived_responses: 0,
    });
  });

  it('a revised value archives its response; a value put back archives it again; the archive replays', async () => {
    const before = await archive();
    server.setValue('MCRFPTX1', 'monthly', '2019-03', '170000');
    const [, revised] = await run(db.pool, server.baseUrl, range);
    expect(revised!.counts).toMatchObject({ revised: 1, inserted: 0 });
    const afterRevision = await archive();
    expect(afterRevision.slice(0, before.length)).toEqual(before);
    expect(afterRevision.slice(before.length).map((a) => a.entity)).toEqual(['MCRFPTX1']);

    // EIA puts the first value back: the body equals the first archived one for this request,
    // yet it changed the data, so it is archived again (a replay must end on this value)
    server.setValue('MCRFPTX1', 'monthly', '2019-03', undefined);
    const [, restored] = await run(db.pool, server.baseUrl, range);
    expect(restored!.counts).toMatchObject({ revised: 1, inserted: 0 });
    const afterRestore = await archive();
    expect(afterRestore.slice(before.length).map((a) => a.entity)).toEqual(['MCRFPTX1', 'MCRFPTX1']);
    expect(afterRestore.at(-1)!.body_hash).toBe(before.find((a) => a.entity === 'MCRFPTX1')!.body_hash);

    const expected = await snapshot(db);
    expect(expected.revisions.filter((r) => r.period === '2019-03')).toHaveLength(2);
    await db.query(
      `TRUNCATE raw.eia_observations, raw.eia_observation_revisions; DELETE FROM ops.watermarks`,
    );
    const replayed = await replayEiaArchive({ pool: db.pool, log: quietLog }, { series });
    expect(replayed.details.series.map((o) => o.status)).toEqual(['succeeded', 'succeeded']);
    expect(await snapshot(db)).toEqual(expected);
  });
});
