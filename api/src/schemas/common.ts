import type { TSchema } from '@sinclair/typebox';
import { FormatRegistry, Type } from '@sinclair/typebox';
import { parseIsoDate, parseIsoInstant } from '../generator/calendar.ts';

// TypeBox's Value.Check knows no formats by itself; registering them here means whoever imports
// a schema (the ingestion client, the tests) checks dates exactly as the service's ajv does.
if (!FormatRegistry.Has('date')) FormatRegistry.Set('date', (value) => parseIsoDate(value) !== undefined);
if (!FormatRegistry.Has('date-time'))
  FormatRegistry.Set(
    'date-time',
    (value) => parseIsoInstant(value) !== undefined || !Number.isNaN(Date.parse(value)),
  );

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

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
