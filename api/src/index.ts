/**
 * The GL service's in-process API, for the ingestion client, benchmarks and tests: the same
 * generator and schemas the HTTP service uses, so in-process lines equal served lines byte for byte.
 */
export { Ledger } from './generator/ledger.ts';
export type { Journal, LedgerOptions } from './generator/ledger.ts';
export { generateLines, journalsBetween } from './generator/lines.ts';
export { referenceData } from './generator/reference.ts';
export type { ReferenceData } from './generator/reference.ts';
export { serializeLine } from './generator/serialize.ts';
export { eventId, parseEventId, servedSpan } from './generator/stream-slots.ts';
export { GlLineSchema } from './schemas/gl-line.ts';
export type { GlLine } from './schemas/gl-line.ts';
export { WellSchema } from './schemas/well.ts';
export { OwnerSchema } from './schemas/owner.ts';
export { AccountSchema } from './schemas/account.ts';
export { AfeSchema } from './schemas/afe.ts';
export { ProblemSchema } from './schemas/problem.ts';
export { buildServer } from './build.ts';
export type { GlAppOptions } from './options.ts';
