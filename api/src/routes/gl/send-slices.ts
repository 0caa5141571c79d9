import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { LentSlice } from '../../generator/pages.ts';

/**
 * Sends lent slices as the body, writing to the response itself: a slice read from the day cache's
 * files is in a pooled buffer that the next read overwrites once released, and only the write's
 * callback says the socket is done with it (Fastify's piping of a stream gives no such signal).
 * The reply is hijacked once the first slice is at hand, so a failure before it is an ordinary
 * error answer and one after it closes the connection, as a failing stream did. Headers are the
 * reply's, set before (content type, ETag, request id).
 */
export async function sendSlices(reply: FastifyReply, slices: AsyncGenerator<LentSlice>): Promise<void> {
  let next = await slices.next();
  const res = reply.raw;
  reply.hijack();
  try {
    for (const [name, value] of Object.entries(reply.getHeaders()))
      if (value !== undefined) res.setHeader(name, value);
    res.writeHead(reply.statusCode);
    for (; !next.done; next = await slices.next()) {
      // the client left: an unfinished answer must not leave its connection open for another
      if (!(await write(res, next.value))) return void res.destroy();
    }
    res.end();
  } catch (err) {
    reply.log.error({ err }, 'the NDJSON export failed after its first bytes: connection closed');
    res.destroy();
  } finally {
    await slices.return(undefined);
  }
}

/** False when the connection closed first. Released only by a write's success: then no one holds it. */
function write(res: ServerResponse, slice: LentSlice): Promise<boolean> {
  return new Promise((resolve) => {
    const closed = () => resolve(false);
    res.once('close', closed);
    res.write(slice.bytes, (err) => {
      res.off('close', closed);
      if (!err) slice.release();
      resolve(!err);
    });
  });
}
