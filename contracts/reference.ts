/** Reference data: `GET /v1/wells|owners|accounts|afes`, each `{ "data": [...] }` of these records. */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import {
  ACCOUNT_TYPES,
  AFE_STATUSES,
  AFE_TYPES,
  INTEREST_TYPES,
  NORMAL_BALANCES,
  OWNER_TYPES,
  WELL_STATUSES,
} from './enums.ts';
import { Decimal2, Decimal8, IsoDate, Nullable, OneOf } from './formats.ts';

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
    interest_type: OneOf(INTEREST_TYPES),
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
    status: OneOf(WELL_STATUSES),
    decline: Type.Object(
      { oil: DeclineSchema, gas: DeclineSchema, ngl: DeclineSchema },
      { additionalProperties: false },
    ),
    interests: Type.Array(InterestSchema),
  },
  { $id: 'Well', additionalProperties: false },
);
export type WellDto = Static<typeof WellSchema>;

export const OwnerSchema = Type.Object(
  {
    owner_id: Type.String(),
    name: Type.String(),
    owner_type: OneOf(OWNER_TYPES),
  },
  { $id: 'Owner', additionalProperties: false },
);
export type OwnerDto = Static<typeof OwnerSchema>;

export const AccountSchema = Type.Object(
  {
    account_number: Type.String({ pattern: '^\\d{4}$' }),
    name: Type.String(),
    account_type: OneOf(ACCOUNT_TYPES),
    category: Type.String(),
    normal_balance: OneOf(NORMAL_BALANCES),
  },
  { $id: 'Account', additionalProperties: false },
);
export type AccountDto = Static<typeof AccountSchema>;

export const AfeSchema = Type.Object(
  {
    afe_number: Type.String(),
    afe_type: OneOf(AFE_TYPES),
    well_id: Type.String(),
    description: Type.String(),
    gross_budget: Decimal2,
    status: OneOf(AFE_STATUSES),
    approved_date: IsoDate,
  },
  { $id: 'Afe', additionalProperties: false },
);
export type AfeDto = Static<typeof AfeSchema>;
