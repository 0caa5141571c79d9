import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import Fastify from 'fastify';
import { REDACT_PATHS } from '../../core/logger.ts';
import app from './app.ts';
import type { GlAppOptions } from './options.ts';
import { validateOptions } from './options.ts';
import { clientErrorHandler } from './plugins/app/client-errors.ts';

/** Logger settings: JSON lines with a request id, the Authorization header never logged. */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return { level, name: 'gl-api', redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
}

/** A caller's X-Request-Id is kept only when short and plain; anything else gets a fresh id. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestIdOf(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}

/** A ready-to-listen (or inject) GL service; the server and the tests build it the same way. */
export async function buildServer(
  options: GlAppOptions,
  logger: FastifyServerOptions['logger'] = false,
): Promise<FastifyInstance> {
  validateOptions(options);
  const fastify = Fastify({
    logger,
    genReqId: requestIdOf,
    return503OnClosing: true,
    clientErrorHandler,
    ajv: { customOptions: { allErrors: true } },
  });
  await fastify.register(app, options);
  await fastify.ready();
  return fastify;
}
