/**
 * The sources of an end-to-end test, started the way run.sh starts them: a fresh database, the GL
 * service on a free port, the EIA replay over the real data (when asked), and a loader pool; plus
 * a dbt build into a temporary target. `close()` stops everything the fixture started.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { buildServer } from '../../api/src/build.ts';
import { PROJECT_ROOT } from '../../core/config.ts';
import type { Logger } from '../../core/logger.ts';
import { createPool, ROLES } from '../../database/src/connection.ts';
import { EiaClient, startEiaReplayServer, type EiaReplayServer } from '../../ingestion/src/eia/index.ts';
import { transform, type TransformResult } from '../../orchestration/src/transform/index.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const AS_OF = '2024-01-31';
export const EIA_DIR = path.resolve(PROJECT_ROOT, '../shared/data/eia');

export interface PipelineSources {
  db: TestDatabase;
  api: FastifyInstance;
  /** What `ingestGl` needs to reach the service. */
  gl: { url: string; token: undefined; asOf: string };
  replay: EiaReplayServer | undefined;
  /** A client of the replay server; undefined without one. */
  eia: EiaClient | undefined;
  loader: pg.Pool;
  /** `dbt build` into a temporary target (removed by close()). */
  transform(): Promise<TransformResult>;
  close(): Promise<void>;
}

export async function startPipelineSources(options: {
  log: Logger;
  wells: number;
  priceDeckDir?: string;
  replay: boolean;
}): Promise<PipelineSources> {
  const { log } = options;
  const db = await createTestDatabase();
  const api = await buildServer({
    seed: 42,
    wells: options.wells,
    asOf: AS_OF,
    streamIntervalS: 30,
    priceDeckDir: options.priceDeckDir,
  });
  await api.listen({ port: 0, host: '127.0.0.1' });
  const replay = options.replay
    ? await startEiaReplayServer({ dir: EIA_DIR, port: 0, host: '127.0.0.1', requireApiKey: false, log })
    : undefined;
  const loader = createPool(db.url, { role: ROLES.loader });
  let targetPath: string | undefined;
  return {
    db,
    api,
    gl: {
      url: `http://127.0.0.1:${(api.server.address() as { port: number }).port}`,
      token: undefined,
      asOf: AS_OF,
    },
    replay,
    eia: replay && new EiaClient({ baseUrl: replay.baseUrl, log, requestsPerSecond: 50 }),
    loader,
    async transform() {
      targetPath ??= await mkdtemp(path.join(os.tmpdir(), 'pipeline-dbt-'));
      return transform({ databaseUrl: db.url, log, targetPath, logPath: path.join(targetPath, 'logs') });
    },
    async close() {
      await loader.end();
      await api.close();
      await replay?.close();
      await db.drop();
      if (targetPath) await rm(targetPath, { recursive: true, force: true });
    },
  };
}
