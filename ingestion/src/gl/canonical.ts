/**
 * Canonical form and hash of GL records. A line's hash is sha256 of its JSON with the keys in
 * contract order (docs/contracts.md), so the same line always hashes the same whatever order a
 * serializer chose, and a changed value always changes the hash.
 */
import crypto, { createHash } from 'node:crypto';
import { GlLineSchema, type GlLine } from '../../../contracts/gl-line.ts';

/**
 * The GL line's fields in contract order: the property order of the service's published schema,
 * which is also the JSON order it serializes and the data columns of raw.gl_lines.
 */
export const GL_LINE_FIELDS = Object.keys(GlLineSchema.properties) as ReadonlyArray<keyof GlLine>;

/** JSON of a line with exactly the contract's fields, in the contract's order. */
export function canonicalLineJson(line: Record<string, unknown>): string {
  // Fast path: a record that already has exactly the contract's keys in the contract's order (what
  // the service sends) serializes canonically as it is, without building a reordered copy.
  const keys = Object.keys(line);
  if (keys.length === GL_LINE_FIELDS.length) {
    let i = 0;
    while (i < keys.length && keys[i] === GL_LINE_FIELDS[i]) i++;
    if (i === keys.length) return JSON.stringify(line);
  }
  const ordered: Record<string, unknown> = {};
  for (const field of GL_LINE_FIELDS) ordered[field] = line[field] ?? null;
  return JSON.stringify(ordered);
}

// crypto.hash (Node >= 20.12) hashes in one call without a Hash object: measurably faster per line.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export function sha256(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : createHash('sha256').update(text).digest('hex');
}

export function lineHash(line: Record<string, unknown>): string {
  return sha256(canonicalLineJson(line));
}

/**
 * Canonical JSON of a reference record (well, owner, account, AFE): object keys sorted at every
 * level, so the hash does not depend on the order a serializer chose.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
