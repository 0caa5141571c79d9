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

export function compileValidator(schema: TSchema): LineValidator {
  const ajv = new Ajv({ allErrors: false, strict: false });
  addFormats(ajv);
  const validate: ValidateFunction = ajv.compile(schema);
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
