import type { GlLine } from '../../../contracts/gl-line.ts';
import type { Journal } from './ledger.ts';

/**
 * One serializer for every way lines leave the service (JSON pages, NDJSON, SSE), so the same
 * line is always the same bytes. Lines are built in schema property order, so JSON.stringify is
 * all it takes.
 */
export function serializeLine(line: GlLine): string {
  return JSON.stringify(line);
}

export function serializeJournals(journals: readonly Journal[], separator: string): string {
  const parts: string[] = [];
  for (const journal of journals) for (const line of journal.lines) parts.push(serializeLine(line));
  return parts.join(separator);
}
