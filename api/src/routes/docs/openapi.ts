import type { FastifyInstance } from 'fastify';

/** The OpenAPI document at the conventional path (Swagger UI also serves it under /docs/json). */
export default async function openapiRoute(fastify: FastifyInstance) {
  fastify.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    fastify.swagger(),
  );
}
