import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem } from './problems.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Routes that never require the bearer token (health, docs). */
    public?: boolean;
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Optional bearer token (GL_API_TOKEN). Both sides are hashed first so the comparison is constant
 * time whatever the lengths, and the token never appears in logs (authorization is redacted).
 */
export function tokenMatches(header: string | undefined, expected: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return timingSafeEqual(digest(match?.[1]?.trim() ?? ''), digest(expected)) && match !== null;
}

function isPublic(request: FastifyRequest): boolean {
  if (request.routeOptions.config?.public) return true;
  const path = request.url.split('?')[0] ?? '';
  return path === '/docs' || path.startsWith('/docs/') || path === '/openapi.json';
}

export default fp(
  async function auth(fastify: FastifyInstance, options: { token?: string | undefined }) {
    const token = options.token;
    if (!token) return;
    fastify.addHook('onRequest', async (request, reply) => {
      // Unknown routes fall through to the 404 handler: no need to reveal the token is wanted.
      if (request.routeOptions.url === undefined || isPublic(request)) return;
      if (!tokenMatches(request.headers.authorization, token)) {
        reply.header('www-authenticate', 'Bearer realm="gl"');
        throw new HttpProblem(
          401,
          'unauthorized',
          'This service requires Authorization: Bearer <GL_API_TOKEN>.',
        );
      }
    });
  },
  { name: 'auth', dependencies: ['problems'] },
);
