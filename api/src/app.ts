import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { GlAppOptions } from './options.ts';
import rateLimit from './plugins/external/rate-limit.ts';
import swagger from './plugins/external/swagger.ts';
import swaggerUi from './plugins/external/swagger-ui.ts';
import auth from './plugins/app/auth.ts';
import glService from './plugins/app/gl-service.ts';
import problems from './plugins/app/problems.ts';
import requestId from './plugins/app/request-id.ts';
import openapiRoute from './routes/docs/openapi.ts';
import glEntriesRoutes from './routes/gl/entries.ts';
import healthRoutes from './routes/health/index.ts';
import referenceRoutes from './routes/reference/index.ts';
import streamRoutes from './routes/stream/get-gl.ts';
import { AccountSchema, AfeSchema, OwnerSchema, WellSchema } from '../../contracts/reference.ts';
import { GlLineSchema } from '../../contracts/gl-line.ts';
import { ProblemSchema } from '../../contracts/problem.ts';

/**
 * The GL service as a plugin (the fastify/demo layout): server.ts only starts it, tests
 * `inject` into it. Plugins are registered explicitly rather than autoloaded, so the order
 * (errors first, third-party plugins, our decorators, then routes) is visible and type-checked
 * and no runtime detection of TypeScript loaders is involved.
 */
async function glApp(fastify: FastifyInstance, options: GlAppOptions) {
  await fastify.register(problems);
  for (const schema of [GlLineSchema, WellSchema, OwnerSchema, AccountSchema, AfeSchema, ProblemSchema])
    fastify.addSchema(schema);

  await fastify.register(swagger);
  await fastify.register(swaggerUi);
  await fastify.register(rateLimit, { max: options.rateLimitMax });

  await fastify.register(requestId);
  await fastify.register(glService, options);
  await fastify.register(auth, { token: options.token });

  await fastify.register(healthRoutes);
  await fastify.register(openapiRoute);
  await fastify.register(glEntriesRoutes);
  await fastify.register(streamRoutes);
  await fastify.register(referenceRoutes);
}

export default fp(glApp, { name: 'gl-app' });
