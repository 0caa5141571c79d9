import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Problem } from '../../../../contracts/problem.ts';

/**
 * Every error leaves as RFC 9457 application/problem+json: validation failures, our own range
 * and cursor checks, auth, rate limiting, unknown routes and unexpected failures (which are
 * logged with the request id and answered without internals).
 */
export class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    readonly slug: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemBody(
  request: FastifyRequest,
  status: number,
  slug: string,
  detail: string,
  extra: Record<string, unknown> = {},
): Problem {
  return {
    type: slug === 'about:blank' ? 'about:blank' : `urn:problem:gl:${slug}`,
    title: TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error'),
    status,
    detail,
    instance: request.url.split('?')[0] ?? request.url,
    request_id: String(request.id),
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

interface AjvError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Turns ajv's messages into ones that name the parameter and say what is expected. */
function describeValidation(error: FastifyError, request: FastifyRequest) {
  const where = error.validationContext ?? 'request';
  const input = (
    where === 'querystring' ? request.query : where === 'headers' ? request.headers : request.params
  ) as Record<string, unknown>;
  return (error.validation ?? []).map((raw) => {
    const e = raw as AjvError;
    const name =
      e.keyword === 'required'
        ? String(e.params?.missingProperty)
        : (e.instancePath ?? '').replace(/^\//, '') || where;
    const value = input?.[name];
    const got = value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
    let message: string;
    if (e.keyword === 'required') message = 'is required';
    else if (e.keyword === 'format' && e.params?.format === 'date')
      message = `must be a real calendar date YYYY-MM-DD${got}`;
    else if (e.keyword === 'maximum' || e.keyword === 'minimum')
      message = `${e.message ?? 'is out of range'}${got}`;
    else if (e.keyword === 'additionalProperties')
      message = `unknown parameter ${String(e.params?.additionalProperty)}`;
    else message = `${e.message ?? 'is invalid'}${got}`;
    return { name, in: where, message };
  });
}

export default fp(
  async function problems(fastify: FastifyInstance) {
    /** A known path asked with another method is 405 with Allow, not 404 (RFC 9110 15.5.6). */
    const wrongMethod = (request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined => {
      const path = request.url.split('?')[0] ?? '/';
      if (
        request.method === 'GET' ||
        request.method === 'HEAD' ||
        !fastify.hasRoute({ method: 'GET', url: path })
      )
        return undefined;
      reply.header('allow', 'GET, HEAD');
      return sendProblem(
        reply,
        problemBody(
          request,
          405,
          'about:blank',
          `${path} supports GET and HEAD only, not ${request.method}.`,
        ),
      );
    };

    fastify.setErrorHandler((error: FastifyError, request, reply) => {
      if (reply.sent || reply.raw.headersSent) return;
      // Body-carrying methods (QUERY, POST...) can fail body parsing before the 404 handler runs.
      if (request.routeOptions.url === undefined) {
        const answered = wrongMethod(request, reply);
        if (answered) return answered;
      }
      if (error.validation) {
        const errors = describeValidation(error, request);
        const detail = errors.map((e) => `${e.name}: ${e.message}`).join('; ');
        return sendProblem(reply, problemBody(request, 400, 'invalid-parameter', detail, { errors }));
      }
      if (error instanceof HttpProblem) {
        return sendProblem(
          reply,
          problemBody(request, error.statusCode, error.slug, error.message, error.extra),
        );
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        const slug = status === 429 ? 'rate-limited' : 'about:blank';
        return sendProblem(reply, problemBody(request, status, slug, error.message));
      }
      request.log.error({ err: error }, 'unhandled error');
      return sendProblem(
        reply,
        problemBody(
          request,
          status >= 500 && status < 600 ? status : 500,
          'about:blank',
          'The server failed to answer this request; the error is logged with the request id.',
        ),
      );
    });

    fastify.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      return (
        wrongMethod(request, reply) ??
        sendProblem(reply, problemBody(request, 404, 'about:blank', `No route ${request.method} ${path}`))
      );
    });
  },
  { name: 'problems' },
);
