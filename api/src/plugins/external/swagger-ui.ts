import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Swagger UI at /docs (the raw document is at /openapi.json). */
export default fp(
  async function swaggerUi(fastify: FastifyInstance) {
    await fastify.register(fastifySwaggerUi, { routePrefix: '/docs' });
  },
  { name: 'swagger-ui', dependencies: ['swagger'] },
);
