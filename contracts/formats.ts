/**
 * The scalar formats of the GL contract (dates, months, fixed-decimal strings) and the small
 * schema builders every contract file uses.
 */
import type { TLiteral, TSchema, TUnion } from '@sinclair/typebox';
import { FormatRegistry, Type } from '@sinclair/typebox';
import { isIsoDate } from '../core/dates.ts';

// TypeBox's Value.Check knows no formats by itself; registering them here means whoever imports
// a schema (the ingestion client, the tests) checks dates exactly as the service's ajv does.
if (!FormatRegistry.Has('date')) FormatRegistry.Set('date', (value) => isIsoDate(value));
if (!FormatRegistry.Has('date-time'))
  FormatRegistry.Set('date-time', (value) => !Number.isNaN(Date.parse(value)));

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A union of string literals from one of the enum lists in ./enums.ts. */
type Literals<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K] & string> };

export function OneOf<const T extends readonly string[]>(
  values: T,
  options: { description?: string } = {},
): TUnion<Literals<T>> {
  return Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  ) as unknown as TUnion<Literals<T>>;
}

export const IsoDate = Type.String({
  format: 'date',
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  examples: ['2024-01-31'],
});
export const IsoMonth = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', examples: ['2024-01'] });
export const Decimal2 = Type.String({ pattern: '^-?\\d+\\.\\d{2}$', examples: ['1234.50'] });
export const Decimal4 = Type.String({ pattern: '^-?\\d+\\.\\d{4}$', examples: ['71.2500'] });
export const Decimal8 = Type.String({ pattern: '^\\d+\\.\\d{8}$', examples: ['0.75000000'] });

/** Reference endpoints answer `{ "data": [...] }`. */
export const listOf = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item) }, { additionalProperties: false });
