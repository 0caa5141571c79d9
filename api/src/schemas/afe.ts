import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { Decimal2, IsoDate } from './common.ts';

export const AfeSchema = Type.Object(
  {
    afe_number: Type.String(),
    afe_type: Type.Union([
      Type.Literal('drill'),
      Type.Literal('complete'),
      Type.Literal('facility'),
      Type.Literal('workover'),
    ]),
    well_id: Type.String(),
    description: Type.String(),
    gross_budget: Decimal2,
    status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
    approved_date: IsoDate,
  },
  { $id: 'Afe', additionalProperties: false },
);

export type AfeDto = Static<typeof AfeSchema>;
