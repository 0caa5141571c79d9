import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { IsoDate, Nullable } from './common.ts';
import { GlLineSchema } from './gl-line.ts';

export const MAX_PAGE_LINES = 10_000;
export const DEFAULT_PAGE_LINES = 1_000;
export const MAX_RANGE_DAYS = 366;

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
