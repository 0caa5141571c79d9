import { isoDate, parseIsoDate } from './calendar.ts';

/**
 * A keyset cursor: the (day, sequence) of the last journal on the previous page, base64url
 * encoded so clients treat it as opaque. Journals never change, so a cursor stays valid forever
 * and any page size can resume from it.
 */
export interface CursorPosition {
  day: number;
  seq: number;
}

const VERSION = 'v1';

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${VERSION}:${isoDate(position.day)}:${position.seq}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const match = /^v1:(\d{4}-\d{2}-\d{2}):(\d{1,6})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) return undefined;
  const day = parseIsoDate(match[1] ?? '');
  const seq = Number(match[2]);
  // seq 0 is the opening balance of the history's first day
  if (day === undefined || seq < 0) return undefined;
  return { day, seq };
}
