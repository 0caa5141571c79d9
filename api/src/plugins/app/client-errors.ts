import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/**
 * What Node's HTTP parser rejects before Fastify sees a request (a malformed request line,
 * headers over the size limit, a timeout) answered as problem+json like every other error,
 * instead of Fastify's default plain JSON. The status follows Node's own mapping.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer (https://nodejs.org/api/http.html#event-clienterror).
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'The request headers exceed the size the server accepts.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'The request was not received in time.']
        : [400, 'The request is not valid HTTP (request line or headers could not be parsed).'];
  const title = STATUS_CODES[status] ?? 'Client Error';
  const requestId = randomUUID();
  const body = JSON.stringify({
    type: 'about:blank',
    title,
    status,
    detail,
    instance: '/',
    request_id: requestId,
  });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
