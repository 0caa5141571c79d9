import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { Decimal8, IsoDate, Nullable } from './common.ts';

const DeclineSchema = Type.Object(
  {
    qi: Type.Number({ minimum: 0, description: 'Initial rate per day (oil/NGL bbl/d, gas mcf/d)' }),
    di: Type.Number({ minimum: 0, description: 'Nominal annual initial decline' }),
    b: Type.Number({ minimum: 0, description: 'Arps hyperbolic exponent' }),
  },
  { additionalProperties: false },
);

export const InterestSchema = Type.Object(
  {
    owner_id: Type.String(),
    interest_type: Type.Union([Type.Literal('WI'), Type.Literal('RI'), Type.Literal('ORRI')]),
    working_interest: Nullable(Decimal8),
    revenue_interest: Decimal8,
  },
  { additionalProperties: false },
);

export const WellSchema = Type.Object(
  {
    well_id: Type.String(),
    api_number: Type.String({ pattern: '^\\d{2}-\\d{3}-\\d{5}$', examples: ['42-329-12345'] }),
    well_name: Type.String(),
    basin: Type.String(),
    state: Type.String({ minLength: 2, maxLength: 2 }),
    county: Type.String(),
    first_production_date: IsoDate,
    status: Type.Union([
      Type.Literal('permitted'),
      Type.Literal('drilling'),
      Type.Literal('completing'),
      Type.Literal('producing'),
    ]),
    decline: Type.Object(
      { oil: DeclineSchema, gas: DeclineSchema, ngl: DeclineSchema },
      { additionalProperties: false },
    ),
    interests: Type.Array(InterestSchema),
  },
  { $id: 'Well', additionalProperties: false },
);

export type WellDto = Static<typeof WellSchema>;
