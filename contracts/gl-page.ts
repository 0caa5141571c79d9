/** The batch endpoint's request and page (`GET /v1/gl/entries`) and the limits both sides obey. */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { GlLineSchema } from './gl-line.ts';
import { IsoDate, Nullable } from './formats.ts';

export const MAX_PAGE_LINES = 10_000;
export const DEFAULT_PAGE_LINES = 1_000;
/** Longest range one request may ask for, both ends inclusive. */
export const MAX_RANGE_DAYS = 366;
/**
 * Days of history the service serves: the 365 days before GL_AS_OF (from 00:00 UTC 365 days
 * before it; GL_AS_OF itself is "today", whose lines arrive through the live stream).
 */
export const HISTORY_DAYS = 365;

export const GlEntriesQuerySchema = Type.Object(
  {
    start: { ...IsoDate, description: 'First posting date (inclusive), YYYY-MM-DD' },
    end: {
      ...IsoDate,
      description: `Last posting date (inclusive); at most ${MAX_RANGE_DAYS} days after start`,
    },
    cursor: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        pattern: '^[A-Za-z0-9_-]+$',
        description: 'Opaque next_cursor of the previous page',
      }),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_PAGE_LINES,
        default: DEFAULT_PAGE_LINES,
        description: 'Maximum lines per page; pages hold whole journals, so a page has at least one journal',
      }),
    ),
  },
  { additionalProperties: false },
);

export type GlEntriesQuery = Static<typeof GlEntriesQuerySchema>;

export const GlPageSchema = Type.Object(
  {
    data: Type.Array(Type.Ref(GlLineSchema)),
    next_cursor: Nullable(
      Type.String({ description: 'Pass as cursor for the next page; null on the last page' }),
    ),
  },
  { additionalProperties: false },
);
