import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenMatches } from '../../api/src/plugins/app/auth.ts';
import { build, listen } from './helpers.ts';

describe('bearer token (GL_API_TOKEN)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await build({ token: 's3cret-token' });
  });
  afterAll(() => app.close());

  it.each(['/v1/wells', '/v1/gl/entries?start=2024-01-01&end=2024-01-01', '/get-gl'])(
    'requires it on %s',
    async (url) => {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      const wrong = await app.inject({ url, headers: { authorization: 'Bearer nope' } });
      expect(wrong.statusCode).toBe(401);
    },
  );

  it('accepts the right token', async () => {
    const res = await app.inject({ url: '/v1/accounts', headers: { authorization: 'Bearer s3cret-token' } });
    expect(res.statusCode).toBe(200);
  });

  it('never asks for it on /health, /openapi.json or /docs', async () => {
    for (const url of ['/health', '/openapi.json', '/docs/json'])
      expect((await app.inject({ url })).statusCode).toBe(200);
  });

  it('compares whole tokens only', () => {
    expect(tokenMatches('Bearer s3cret-token', 's3cret-token')).toBe(true);
    expect(tokenMatches('Bearer s3cret', 's3cret-token')).toBe(false);
    expect(tokenMatches('s3cret-token', 's3cret-token')).toBe(false);
    expect(tokenMatches(undefined, 's3cret-token')).toBe(false);
  });

  it('streams with the token over a real socket', async () => {
    const other = await build({ token: 't' });
    try {
      const url = await listen(other);
      expect((await fetch(`${url}/get-gl`)).status).toBe(401);
      const controller = new AbortController();
      const res = await fetch(`${url}/get-gl`, {
        headers: { authorization: 'Bearer t' },
        signal: controller.signal,
      });
      expect(res.status).toBe(200);
      controller.abort();
    } finally {
      await other.close();
    }
  });
});

describe('rate limit', () => {
  it('answers 429 problem+json past the limit, but never limits /health', async () => {
    const app = await build({ rateLimitMax: 3 });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await app.inject({ url: '/v1/accounts' })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const limited = await app.inject({ url: '/v1/accounts' });
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(limited.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
      for (let i = 0; i < 5; i++) expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
