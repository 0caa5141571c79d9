import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { isoDate, isoInstant } from '../../generator/calendar.ts';
import { HealthSchema } from '../../../../contracts/health.ts';
import { problemResponses } from '../../../../contracts/problem.ts';

const started = Date.now();

export default async function healthRoutes(fastify: FastifyInstance) {
  fastify.withTypeProvider<TypeBoxTypeProvider>().get(
    '/health',
    {
      config: { public: true, rateLimit: false },
      // Probed every few seconds by Docker and orchestrators: keep it out of the info log.
      logLevel: 'warn',
      schema: {
        tags: ['ops'],
        summary: 'Liveness and the span of ledger time served',
        response: { 200: HealthSchema, ...problemResponses(500) },
      },
    },
    async () => {
      const span = fastify.gl.span();
      return {
        status: 'ok' as const,
        as_of: isoDate(fastify.gl.asOfDay),
        served_from: isoInstant(span.from),
        served_until: isoInstant(span.watermark),
        wells: fastify.gl.ledger.wells.length,
        stream_interval_s: fastify.gl.intervalS,
        uptime_s: Math.round((Date.now() - started) / 1000),
        price_deck: fastify.gl.ledger.pricing.info(),
      };
    },
  );
}
