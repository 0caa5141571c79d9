import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * OpenAPI 3.1 generated from the route schemas (3.1 because GL line fields are JSON Schema
 * `type: [..., null]`). Shared schemas keep their $id as component name, so the document reads
 * `#/components/schemas/GlLine` rather than `def-0`.
 */
export default fp(
  async function swagger(fastify: FastifyInstance) {
    await fastify.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'GL data service',
          version: '1.0.0',
          description:
            'Synthetic, deterministic general-ledger data of an oil & gas operator: revenue, AP, JIB, cash and DD&A journals, ' +
            'with the wells, owners, chart of accounts and AFEs behind them. History is the 365 days before GL_AS_OF; ' +
            '/get-gl streams the ledger live as Server-Sent Events.',
        },
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              description: 'Required only when GL_API_TOKEN is set',
            },
          },
        },
        tags: [
          { name: 'gl', description: 'General-ledger lines' },
          { name: 'reference', description: 'Reference data' },
          { name: 'ops', description: 'Operations' },
        ],
      },
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, i) =>
          typeof json.$id === 'string' ? json.$id : `def-${i}`,
      },
    });
  },
  { name: 'swagger' },
);
