import type { ServerResponse } from 'node:http';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { isoInstant } from '../../generator/calendar.ts';
import { jsonArray, postedBetween } from '../../generator/pages.ts';
import {
  eventId,
  nextBoundary,
  parseEventId,
  slotStart,
  untilNextSlotMs,
} from '../../generator/stream-slots.ts';
import { HttpProblem } from '../../plugins/app/problems.ts';
import { COMMON_PROBLEMS, problemResponses } from '../../../../contracts/problem.ts';
import { sseComment, sseEvent, write } from './sse.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * GET /get-gl: the ledger as Server-Sent Events, one event per completed slot (empty slots
 * included, so ids advance by one interval and a client can see it missed nothing). Each
 * event's id is the instant its slot ends; with Last-Event-ID the stream resumes at exactly that
 * instant, so no line is repeated or skipped, across reconnects and server restarts alike. An
 * id older than the served history catches up from the start of history.
 */
export default async function streamRoutes(fastify: FastifyInstance) {
  const open = new Set<ServerResponse>();
  // The live slot's event, built once for every client at the live edge (a broadcast): with N
  // clients a completed slot is read and framed once, not N times. Clients still catching up
  // ask for older slots and build their own.
  let live: { from: number; to: number; event: Promise<Buffer> } | undefined;
  const slotEvent = (from: number, to: number): Promise<Buffer> => {
    if (live?.from === from && live.to === to) return live.event;
    const event = postedBetween(fastify.gl.day, from, to).then((slices) =>
      sseEvent(eventId(to), jsonArray(slices)),
    );
    const entry = { from, to, event };
    if (to >= (live?.to ?? -Infinity)) live = entry;
    // a failure is not kept: the next client asks again
    event.catch(() => {
      if (live === entry) live = undefined;
    });
    return event;
  };
  // Streams never end on their own; close them so fastify.close() (SIGTERM) can finish.
  fastify.addHook('preClose', async () => {
    for (const res of open) res.end(sseComment('server shutting down'));
  });

  fastify.withTypeProvider<TypeBoxTypeProvider>().get(
    '/get-gl',
    {
      schema: {
        tags: ['gl'],
        summary: 'Live GL stream (Server-Sent Events)',
        description:
          'Every GL_STREAM_INTERVAL_S seconds an event with `id:` (the ISO instant its slot ends) and `data:` (a JSON array of ' +
          'the GL lines posted in the slot; journals are never split). Resume with the Last-Event-ID header (or last_event_id).',
        security: [{ bearerAuth: [] }, {}],
        querystring: Type.Object(
          { last_event_id: Type.Optional(Type.String({ description: 'Same as the Last-Event-ID header' })) },
          { additionalProperties: false },
        ),
        response: {
          200: {
            description: 'An endless text/event-stream',
            // the handler writes the stream itself; a HEAD answers headers only
            content: { 'text/event-stream': { schema: Type.Unsafe<undefined>(Type.String()) } },
          },
          ...problemResponses(400, 422, ...COMMON_PROBLEMS),
        },
      },
    },
    async (request, reply) => {
      const gl = fastify.gl;
      const header = request.headers['last-event-id'];
      const lastId = (Array.isArray(header) ? header[0] : header) ?? request.query.last_event_id;
      const span = gl.span();
      let cursor: number;
      if (lastId !== undefined && lastId !== '') {
        const resumeAt = parseEventId(lastId);
        if (resumeAt === undefined) {
          throw new HttpProblem(
            400,
            'invalid-event-id',
            `Last-Event-ID ${JSON.stringify(lastId)} is not an id of this stream (e.g. 2024-01-31T00:00:30Z).`,
          );
        }
        if (resumeAt > span.watermark) {
          throw new HttpProblem(
            422,
            'event-id-in-future',
            `Last-Event-ID ${lastId.trim()} is after the last completed slot (${eventId(span.watermark)}); resume from an id this stream sent.`,
            { last_event_id: eventId(span.watermark) },
          );
        }
        cursor = Math.max(resumeAt, span.from);
      } else {
        // A new client gets the last completed slot at once, then one event per interval.
        cursor = Math.max(span.from, slotStart(span.watermark - 1, gl.intervalS));
      }

      // HEAD (which fastify derives from GET) learns the headers, not an endless body.
      if (request.method === 'HEAD')
        return reply
          .type('text/event-stream; charset=utf-8')
          .header('cache-control', 'no-cache')
          .send(undefined);

      const res = reply.raw;
      reply.hijack();
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // The socket is never reused after a stream, and closing it with the response lets
        // fastify.close() finish at once instead of waiting for the client to hang up.
        connection: 'close',
        'x-accel-buffering': 'no',
        'x-request-id': String(request.id),
      });
      open.add(res);
      let closed = false;
      res.on('close', () => {
        closed = true;
        open.delete(res);
      });
      request.log.info({ from: isoInstant(cursor) }, 'stream opened');

      const pollMs = gl.options.streamPollMs ?? 1000;
      const heartbeatMs = gl.options.heartbeatMs ?? 15_000;
      let lastWrite = Date.now();
      let sent = 0;
      try {
        await write(res, `retry: 3000\n${sseComment(`GL stream from ${isoInstant(cursor)}`)}`);
        while (!closed) {
          const { watermark } = gl.span();
          while (!closed && cursor < watermark) {
            const end = Math.min(nextBoundary(cursor, gl.intervalS), watermark);
            await write(res, await slotEvent(cursor, end));
            cursor = end;
            lastWrite = Date.now();
            // A long catch-up must not starve other requests of the event loop.
            if (++sent % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
          }
          if (closed) break;
          if (Date.now() - lastWrite >= heartbeatMs) {
            await write(res, sseComment(`heartbeat ${isoInstant(Math.floor(gl.now() / 1000))}`));
            lastWrite = Date.now();
          }
          await sleep(untilNextSlotMs(gl.now(), watermark, gl.intervalS, pollMs));
        }
      } catch (err) {
        request.log.error({ err }, 'stream failed');
        res.destroy();
      } finally {
        open.delete(res);
        request.log.info({ until: isoInstant(cursor) }, 'stream closed');
      }
    },
  );
}
