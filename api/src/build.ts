import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import Fastify from 'fastify';
import { REDACT_PATHS } from '../../core/logger.ts';
import app from './app.ts';
import type { GlAppOptions } from './options.ts';

/** Logger settings: JSON lines with a request id, the Authorization header never logged. */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return { level, name: 'gl-api', redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
}

/** A ready-to-listen (or inject) GL service; the server and the tests build it the same way. */
export async function buildServer(
  options: GlAppOptions,
  logger: FastifyServerOptions['logger'] = false,
): Promise<FastifyInstance> {
  const fastify = Fastify({
    logger,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    ajv: { customOptions: { allErrors: true } },
  });
  await fastify.register(app, options);
  await fastify.ready();
  return fastify;
}
