import { Type } from '@sinclair/typebox';
import { IsoDate } from './formats.ts';

export const HealthSchema = Type.Object(
  {
    status: Type.Literal('ok'),
    as_of: IsoDate,
    served_from: Type.String({ format: 'date-time', description: 'First instant the GL serves' }),
    served_until: Type.String({
      format: 'date-time',
      description: 'Lines posted before this instant are served',
    }),
    wells: Type.Integer({ minimum: 1 }),
    stream_interval_s: Type.Integer({ minimum: 1 }),
    uptime_s: Type.Number({ minimum: 0 }),
    price_deck: Type.Object(
      {
        kind: Type.Union([Type.Literal('eia_monthly'), Type.Literal('seeded_model')], {
          description: 'eia_monthly: priced off GL_PRICE_DECK_DIR; seeded_model: no deck set',
        }),
        source: Type.String({ description: 'Folder the deck was read from, or the seeded model' }),
        wti_months: Type.Union([Type.String(), Type.Null()], {
          description: 'Months of WTI in the deck (YYYY-MM..YYYY-MM)',
        }),
        henry_hub_months: Type.Union([Type.String(), Type.Null()], {
          description: 'Months of Henry Hub in the deck',
        }),
      },
      {
        additionalProperties: false,
        description: 'The benchmark prices the generator prices production off',
      },
    ),
  },
  { additionalProperties: false },
);
