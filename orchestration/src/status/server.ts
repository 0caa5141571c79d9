/** The status web server of `pipeline serve`: `/` (HTML), `/api/status` (JSON), `/metrics`, `/health`; 127.0.0.1 only. */
import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';
import { collectStatus, type LiveState } from './collect.ts';
import { renderMetrics } from './metrics.ts';
import { renderPage } from './page.ts';

export interface StatusServerOptions {
  db: pg.Pool;
  live?: LiveState;
  targetPathOf: (runId: number) => string;
  port: number;
  host?: string;
}

export async function startStatusServer(options: StatusServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const collect = () =>
    collectStatus({ db: options.db, live: options.live, targetPathOf: options.targetPathOf });
  app.get('/', async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(renderPage(await collect())),
  );
  app.get('/api/status', async () => collect());
  app.get('/metrics', async (_req, reply) => {
    const { contentType, body } = await renderMetrics(await collect());
    return reply.type(contentType).send(body);
  });
  app.get('/health', async () => {
    await options.db.query('SELECT 1');
    return { status: 'ok' };
  });
  app.setErrorHandler((error, _req, reply) => {
    reply
      .code(500)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: 'status unavailable',
        status: 500,
        detail: (error as Error).message,
      });
  });
  await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  return app;
}
