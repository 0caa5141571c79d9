import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

export const OwnerSchema = Type.Object(
  {
    owner_id: Type.String(),
    name: Type.String(),
    owner_type: Type.Union([
      Type.Literal('company'),
      Type.Literal('working_interest_partner'),
      Type.Literal('royalty'),
      Type.Literal('orri'),
    ]),
  },
  { $id: 'Owner', additionalProperties: false },
);

export type OwnerDto = Static<typeof OwnerSchema>;
