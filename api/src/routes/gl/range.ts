import type { GlService } from '../../plugins/app/gl-service.ts';
import { HttpProblem } from '../../plugins/app/problems.ts';
import { isoDate, parseIsoDate } from '../../generator/calendar.ts';
import type { CursorPosition } from '../../generator/cursor.ts';
import { decodeCursor } from '../../generator/cursor.ts';
import { MAX_RANGE_DAYS } from '../../../../contracts/gl-page.ts';

export interface ResolvedRange {
  startDay: number;
  endDay: number;
  after: CursorPosition | null;
  watermark: number;
}

/** Checks what the schema cannot: order, length, the served span and the cursor. */
export function resolveRange(
  gl: GlService,
  start: string,
  end: string,
  cursor: string | undefined,
): ResolvedRange {
  const startDay = parseIsoDate(start);
  const endDay = parseIsoDate(end);
  if (startDay === undefined || endDay === undefined) {
    throw new HttpProblem(400, 'invalid-parameter', 'start and end must be real calendar dates YYYY-MM-DD');
  }
  if (startDay > endDay)
    throw new HttpProblem(422, 'invalid-range', `start (${start}) is after end (${end}).`);
  if (endDay - startDay + 1 > MAX_RANGE_DAYS) {
    throw new HttpProblem(
      422,
      'range-too-long',
      `The range spans ${endDay - startDay + 1} days; at most ${MAX_RANGE_DAYS} are allowed per request.`,
    );
  }
  const served = gl.servedDays();
  if (startDay < served.first || endDay > served.last) {
    throw new HttpProblem(
      422,
      'range-not-served',
      `The service serves posting dates ${isoDate(served.first)} to ${isoDate(served.last)} (GL_AS_OF ${isoDate(gl.asOfDay)}); ${start}..${end} is outside.`,
      { served_from: isoDate(served.first), served_to: isoDate(served.last) },
    );
  }
  let after: CursorPosition | null = null;
  if (cursor !== undefined) {
    const decoded = decodeCursor(cursor);
    if (!decoded)
      throw new HttpProblem(
        422,
        'invalid-cursor',
        'cursor is not a cursor this service issued; pass next_cursor unchanged.',
      );
    if (decoded.day < startDay || decoded.day > endDay) {
      throw new HttpProblem(
        422,
        'invalid-cursor',
        `cursor points at ${isoDate(decoded.day)}, outside ${start}..${end}; keep start and end unchanged while paging.`,
      );
    }
    after = decoded;
  }
  return { startDay, endDay, after, watermark: gl.span().watermark };
}
