import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem } from '../app/problems.ts';

/** Generous per-client limit: a guard against runaway loops, not a quota. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 1200;

export default fp(
  async function rateLimit(fastify: FastifyInstance, options: { max?: number | undefined }) {
    await fastify.register(fastifyRateLimit, {
      max: options.max ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
      timeWindow: '1 minute',
      // Thrown, so the problem+json error handler answers it like any other error.
      errorResponseBuilder: (_request, context) =>
        new HttpProblem(
          429,
          'rate-limited',
          `Rate limit of ${context.max} requests per minute exceeded; retry in ${context.after}.`,
        ),
    });
  },
  { name: 'rate-limit' },
);
