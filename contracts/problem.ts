import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

/** RFC 9457 problem details, the body of every 4xx and 5xx answer. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({
      description: 'URI identifying the problem type',
      examples: ['urn:problem:gl:invalid-parameter'],
    }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String(),
    instance: Type.String({ description: 'The request path' }),
    request_id: Type.String(),
    errors: Type.Optional(
      Type.Array(
        Type.Object(
          { name: Type.String(), in: Type.String(), message: Type.String() },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { $id: 'Problem', additionalProperties: true, title: 'Problem details (RFC 9457)' },
);

export type Problem = Static<typeof ProblemSchema>;

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid parameter',
  401: 'Missing or wrong bearer token',
  404: 'Not found',
  422: 'Valid parameters, but the range cannot be served',
  429: 'Rate limit exceeded',
  500: 'Unexpected server error',
};

/** Response declarations for OpenAPI: each listed status answers application/problem+json. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: DESCRIPTIONS[status] ?? 'Problem',
        content: { 'application/problem+json': { schema: Type.Ref(ProblemSchema) } },
      },
    ]),
  );
}

/** Statuses any protected route can answer besides its own. */
export const COMMON_PROBLEMS = [401, 429, 500] as const;
