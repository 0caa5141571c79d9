import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SECONDS_PER_DAY } from '../../generator/calendar.ts';
import { encodeCursor } from '../../generator/cursor.ts';
import { jsonArray, ndjsonSlices, readPage } from '../../generator/pages.ts';
import type { GlService } from '../../plugins/app/gl-service.ts';
import { DEFAULT_PAGE_LINES, GlEntriesQuerySchema, GlPageSchema } from '../../../../contracts/gl-page.ts';
import { COMMON_PROBLEMS, problemResponses } from '../../../../contracts/problem.ts';
import type { ResolvedRange } from './range.ts';
import { resolveRange } from './range.ts';
import { sendSlices } from './send-slices.ts';

const NDJSON = 'application/x-ndjson';

/**
 * A strong ETag for an answer, from what decides its bytes: the digests of the days it reads,
 * where it starts and the part of the watermark that falls inside it. Undefined until every
 * day has been generated once (the first answer goes out without one, cold).
 */
function etagOf(gl: GlService, range: ResolvedRange, variant: string): string | undefined {
  const hash = createHash('sha256').update(variant);
  for (let day = range.after?.day ?? range.startDay; day <= range.endDay; day++) {
    const digest = gl.store.digest(day);
    if (digest === undefined) return undefined;
    hash.update(digest);
  }
  const cut = Math.min(range.watermark, (range.endDay + 1) * SECONDS_PER_DAY);
  hash.update(`|${range.after ? `${range.after.day}:${range.after.seq}` : ''}|${cut}`);
  return `"${hash.digest('base64url').slice(0, 32)}"`;
}

/** Sets the ETag; true when the client already holds these bytes (answered 304). */
function notModified(request: FastifyRequest, reply: FastifyReply, etag: string | undefined): boolean {
  if (etag === undefined) return false;
  reply.header('etag', etag);
  const match = request.headers['if-none-match'];
  if (match === undefined) return false;
  const tags = match.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (!tags.includes(etag) && !tags.includes('*')) return false;
  void reply.code(304).send();
  return true;
}

export default async function glEntriesRoutes(fastify: FastifyInstance) {
  fastify.withTypeProvider<TypeBoxTypeProvider>().get(
    '/v1/gl/entries',
    {
      schema: {
        tags: ['gl'],
        summary: 'GL lines posted between two dates',
        description:
          'A page of whole journals (keyset pagination: pass next_cursor back as cursor with the same start and end). ' +
          'With `Accept: application/x-ndjson` the whole range streams as NDJSON, one line per GL line. ' +
          'The same range always returns the same lines, byte for byte, in any page size.',
        security: [{ bearerAuth: [] }, {}],
        querystring: GlEntriesQuerySchema,
        response: {
          200: {
            description: 'A page of GL lines, or with Accept: application/x-ndjson all of them',
            content: {
              'application/json': { schema: GlPageSchema },
              // the handler sends bytes it serialized itself (byte-equal lines): a page buffer, or
              // NDJSON it writes to the socket (send-slices.ts); documented as the schemas above
              [NDJSON]: {
                schema: Type.Unsafe<Buffer>(Type.String({ description: 'One GL line (JSON) per line' })),
              },
            },
          },
          304: Type.Null({ description: 'Not modified: If-None-Match holds the ETag of these bytes' }),
          ...problemResponses(400, 422, ...COMMON_PROBLEMS),
        },
      },
    },
    async (request, reply) => {
      const { start, end, cursor, limit = DEFAULT_PAGE_LINES } = request.query;
      const gl = fastify.gl;
      const range = resolveRange(gl, start, end, cursor);
      reply.header('vary', 'accept');
      if ((request.headers.accept ?? '').includes(NDJSON)) {
        if (notModified(request, reply, etagOf(gl, range, 'ndjson'))) return reply;
        // One day in flight per generator thread, one being sent: the socket pulls the rest.
        return sendSlices(reply.type(NDJSON), ndjsonSlices(gl.lease, range, gl.readAhead));
      }
      if (notModified(request, reply, etagOf(gl, range, `page:${limit}`))) return reply;
      const page = await readPage(gl.day, { ...range, limit });
      const next = page.next ? JSON.stringify(encodeCursor(page.next)) : 'null';
      return reply
        .type('application/json')
        .send(jsonArray(page.slices, '{"data":', `,"next_cursor":${next}}`));
    },
  );
}
