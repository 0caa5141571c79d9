import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { PRODUCTS, SUBLEDGERS, VOLUME_UOMS } from './enums.ts';
import { Decimal2, Decimal4, IsoDate, IsoMonth, Nullable, OneOf } from './formats.ts';

/**
 * The GL line contract (docs/contracts.md): the service builds, serializes and documents lines
 * with this schema and the ingestion client validates what it receives against it. Every field
 * is always present, null where it does not apply, and the property order here is the order in
 * the JSON, so equal lines are equal bytes.
 */
export const GlLineSchema = Type.Object(
  {
    line_id: Type.String({ pattern: '^GL-\\d{8}-\\d{6}-\\d{2,}$', examples: ['GL-20240131-000042-03'] }),
    journal_id: Type.String({ pattern: '^GL-\\d{8}-\\d{6}$', examples: ['GL-20240131-000042'] }),
    line_no: Type.Integer({ minimum: 1 }),
    posting_date: IsoDate,
    accounting_period: IsoMonth,
    account_number: Type.String({
      pattern: '^\\d{4}$',
      description: 'Chart-of-accounts number (see /v1/accounts)',
    }),
    debit: Decimal2,
    credit: Decimal2,
    source: OneOf(SUBLEDGERS),
    description: Type.String(),
    well_id: Nullable(Type.String()),
    production_month: Nullable(IsoMonth),
    product: Nullable(OneOf(PRODUCTS)),
    afe_number: Nullable(Type.String()),
    jib_number: Nullable(Type.String()),
    owner_id: Nullable(Type.String()),
    volume: Nullable(Decimal2),
    volume_uom: Nullable(OneOf(VOLUME_UOMS)),
    unit_price: Nullable(Decimal4),
    reverses_journal_id: Nullable(Type.String({ pattern: '^GL-\\d{8}-\\d{6}$' })),
  },
  { $id: 'GlLine', additionalProperties: false, title: 'GL line' },
);

export type GlLine = Static<typeof GlLineSchema>;
