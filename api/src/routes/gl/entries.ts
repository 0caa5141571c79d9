import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { encodeCursor } from '../../generator/cursor.ts';
import type { Ledger } from '../../generator/ledger.ts';
import { journalsBetween } from '../../generator/lines.ts';
import { readPage } from '../../generator/pages.ts';
import { serializeJournals, serializeLine } from '../../generator/serialize.ts';
import { DEFAULT_PAGE_LINES, GlEntriesQuerySchema, GlPageSchema } from '../../../../contracts/gl-page.ts';
import { COMMON_PROBLEMS, problemResponses } from '../../../../contracts/problem.ts';
import type { ResolvedRange } from './range.ts';
import { resolveRange } from './range.ts';

const NDJSON = 'application/x-ndjson';
const CHUNK_BYTES = 64 * 1024;

/**
 * The whole range as NDJSON, generated a day at a time straight from the ledger (not through
 * the day cache) and pulled by the socket: memory stays flat however many wells or days.
 */
async function* ndjson(ledger: Ledger, range: ResolvedRange): AsyncGenerator<string> {
  let chunk = '';
  for (const journal of journalsBetween(
    ledger,
    range.after?.day ?? range.startDay,
    range.endDay,
    range.watermark,
  )) {
    if (range.after && journal.day === range.after.day && journal.seq <= range.after.seq) continue;
    for (const line of journal.lines) chunk += serializeLine(line) + '\n';
    if (chunk.length >= CHUNK_BYTES) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
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
              // the handler sends text it serialized itself (byte-equal lines): a string page or an
              // NDJSON Readable, typed as such, documented as the schemas above
              [NDJSON]: {
                schema: Type.Unsafe<Readable | string>(
                  Type.String({ description: 'One GL line (JSON) per line' }),
                ),
              },
            },
          },
          ...problemResponses(400, 422, ...COMMON_PROBLEMS),
        },
      },
    },
    async (request, reply) => {
      const { start, end, cursor, limit = DEFAULT_PAGE_LINES } = request.query;
      const range = resolveRange(fastify.gl, start, end, cursor);
      if ((request.headers.accept ?? '').includes(NDJSON)) {
        return reply.type(NDJSON).send(Readable.from(ndjson(fastify.gl.ledger, range)));
      }
      const page = readPage((day) => fastify.gl.journals(day), { ...range, limit });
      const next = page.next ? JSON.stringify(encodeCursor(page.next)) : 'null';
      return reply
        .type('application/json')
        .send(`{"data":[${serializeJournals(page.journals, ',')}],"next_cursor":${next}}`);
    },
  );
}
