import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Echo the request id so a client can quote it; it is also in every log line of the request. */
export default fp(
  async function requestId(fastify: FastifyInstance) {
    fastify.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
  },
  { name: 'request-id' },
);
