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
  },
  { additionalProperties: false },
);
