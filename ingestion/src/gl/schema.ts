/**
 * Validation of received GL records against the service's published schemas (one definition
 * per contract: contracts/, imported, never restated here). Compiled once with Ajv.
 */
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { AccountSchema, AfeSchema, OwnerSchema, WellSchema } from '../../../contracts/reference.ts';
import { GlLineSchema } from '../../../contracts/gl-line.ts';

export { GlLineSchema };

/** Returns null when the value is valid, else a short description of what is wrong. */
export type LineValidator = (value: unknown) => string | null;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}

type SchemaNode = {
  [key: string]: unknown;
  anyOf?: SchemaNode[];
  type?: unknown;
  const?: unknown;
  enum?: unknown[];
};

/**
 * The values a union of literals (TypeBox's OneOf, already rewritten to an enum when nested)
 * allows, or undefined when the node is something else.
 */
function literalsOf(node: SchemaNode): unknown[] | undefined {
  if (node.anyOf?.every((l) => 'const' in l)) return node.anyOf.map((l) => l.const);
  if (Array.isArray(node.enum)) return node.enum;
  return 'const' in node ? [node.const] : undefined;
}

/**
 * The same constraints in the form Ajv checks fastest: a union of literals becomes an `enum`, and
 * a nullable string (TypeBox's `anyOf: [string, null]`) a `type: ["string", "null"]` (pattern and
 * format apply to strings only). Ajv tries anyOf branches one by one and builds an error object
 * for every branch that fails, which made validation cost about twice what it does in this form.
 * Derived from the contract at compile time, so the contract stays the one definition.
 */
export function ajvForm(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(ajvForm);
  if (schema === null || typeof schema !== 'object') return schema;
  const node: SchemaNode = {};
  for (const [key, value] of Object.entries(schema)) node[key] = ajvForm(value);
  if (!node.anyOf) return node;
  const { anyOf, ...rest } = node;
  const nullable = anyOf.some((v) => v.type === 'null');
  const others = anyOf.filter((v) => v.type !== 'null');
  const literals = others.length === 1 ? literalsOf(others[0]!) : literalsOf(node);
  if (literals && (others.length === 1 || !nullable))
    return { ...rest, enum: nullable ? [...literals, null] : literals };
  if (nullable && others.length === 1 && others[0]!.type === 'string')
    return { ...rest, ...others[0], type: ['string', 'null'] };
  return node;
}

export function compileValidator(schema: TSchema): LineValidator {
  const ajv = new Ajv({ allErrors: false, strict: false });
  addFormats(ajv);
  const validate: ValidateFunction = ajv.compile(ajvForm(schema) as TSchema);
  return (value) => (validate(value) ? null : describeErrors(validate.errors));
}

let lineValidator: LineValidator | undefined;

/** The GL line validator, compiled on first use. */
export function glLineValidator(): LineValidator {
  return (lineValidator ??= compileValidator(GlLineSchema));
}

export type ReferenceKind = 'wells' | 'owners' | 'accounts' | 'afes';
let refValidators: Record<ReferenceKind, LineValidator> | undefined;

/** Validators of the reference records, from the service's schemas. */
export function referenceValidators(): Record<ReferenceKind, LineValidator> {
  return (refValidators ??= {
    wells: compileValidator(WellSchema),
    owners: compileValidator(OwnerSchema),
    accounts: compileValidator(AccountSchema),
    afes: compileValidator(AfeSchema),
  });
}
