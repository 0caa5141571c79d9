import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

export const AccountSchema = Type.Object(
  {
    account_number: Type.String({ pattern: '^\\d{4}$' }),
    name: Type.String(),
    account_type: Type.Union([
      Type.Literal('asset'),
      Type.Literal('liability'),
      Type.Literal('equity'),
      Type.Literal('revenue'),
      Type.Literal('expense'),
    ]),
    category: Type.String(),
    normal_balance: Type.Union([Type.Literal('debit'), Type.Literal('credit')]),
  },
  { $id: 'Account', additionalProperties: false },
);

export type AccountDto = Static<typeof AccountSchema>;
