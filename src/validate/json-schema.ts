import type { ErrorObject, ValidateFunction } from 'ajv';

import { BulwarkError } from '../errors.js';
import { createAjv, draftOf } from './ajv.js';
import { closeObjects } from './closed-objects.js';
import { expectedTypeMessage, MAX_ISSUES, safeCode, safeKey, unknownKeyIssue } from './issues.js';
import type { CompiledSchema, JsonSchema, UnknownKeys, ValidationIssue, ValidationResult } from './types.js';

/**
 * Compiles a JSON Schema with ajv 8 in strict mode. A schema that does not compile throws
 * `ERR_SCHEMA_INVALID` with ajv's reason, which names the keyword and its location in the schema.
 *
 * The compiled validator fills in `default` values, converts strings with `coerceTypes` and strips
 * unknown keys. It does so on a copy unless the caller owns the data, so a caller's input is never
 * changed.
 */
export function compileJsonSchema<Output>(
  schema: JsonSchema,
  unknownKeys: UnknownKeys,
  coerceTypes: boolean | 'array',
): CompiledSchema<Output> {
  const draft = typeof schema === 'boolean' ? '2020-12' : draftOf(schema);
  const ajv = createAjv(draft, coerceTypes);

  let check: ValidateFunction;
  try {
    check = ajv.compile(closeObjects(schema) as JsonSchema);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BulwarkError('ERR_SCHEMA_INVALID', `The JSON Schema does not compile: ${reason}`, { draft });
  }

  return {
    run(data, owned = false) {
      const target = owned ? data : cloneData(data);
      if (target === CLONE_FAILED) {
        return { ok: false, issues: [{ path: [], code: 'invalid_type', message: 'Expected JSON data.' }] };
      }

      if (check(target)) {
        return { ok: true, value: target as Output };
      }
      return unknownKeys === 'strip' ? stripAndRetry<Output>(check, target) : failure(check.errors, target);
    },
  };
}

const CLONE_FAILED = Symbol('clone failed');

// A clone keeps own `__proto__` keys as data, as JSON.parse creates them.
function cloneData(data: unknown): unknown {
  if (typeof data !== 'object' || data === null) {
    return data;
  }
  try {
    return structuredClone(data);
  } catch {
    return CLONE_FAILED;
  }
}

// Removes the keys that ajv reported as unknown and validates once more. Any other failure is
// reported as it is, without the unknown keys, because they would be stripped anyway.
function stripAndRetry<Output>(check: ValidateFunction, data: unknown): ValidationResult<Output> {
  const errors = check.errors ?? [];
  const otherErrors = errors.filter((error) => unknownKeyOf(error) === undefined);
  if (otherErrors.length > 0) {
    return failure(otherErrors, data);
  }

  for (const error of errors) {
    const parent = resolvePointer(data, error.instancePath);
    if (typeof parent === 'object' && parent !== null) {
      delete (parent as Record<string, unknown>)[unknownKeyOf(error)!];
    }
  }

  return check(data) ? { ok: true, value: data as Output } : failure(check.errors, data);
}

function failure(errors: ErrorObject[] | null | undefined, data: unknown): { ok: false; issues: ValidationIssue[] } {
  const issues = (errors ?? []).slice(0, MAX_ISSUES).map((error) => toIssue(error, data));
  return { ok: false, issues: issues.length > 0 ? issues : [{ path: [], code: 'invalid', message: 'Invalid value.' }] };
}

function unknownKeyOf(error: ErrorObject): string | undefined {
  if (error.keyword === 'unevaluatedProperties') {
    return String(error.params.unevaluatedProperty);
  }
  if (error.keyword === 'additionalProperties') {
    return String(error.params.additionalProperty);
  }
  return undefined;
}

// ajv messages are built from the schema (bounds, patterns, formats) and never from the data,
// so they are kept, except for `type`, where the message is rebuilt to read the same as for
// Standard Schema issues.
function toIssue(error: ErrorObject, data: unknown): ValidationIssue {
  const path = pathOf(error.instancePath, data);
  const unknownKey = unknownKeyOf(error);

  if (unknownKey !== undefined) {
    return unknownKeyIssue(path, unknownKey);
  }
  if (error.keyword === 'required') {
    return { path: [...path, safeKey(String(error.params.missingProperty))], code: 'required', message: 'Required.' };
  }
  if (error.keyword === 'type') {
    return { path, code: 'invalid_type', message: expectedTypeMessage(String(error.params.type).split(',')) };
  }

  const text = error.message ?? 'is invalid';
  return { path, code: safeCode(error.keyword), message: `${text.charAt(0).toUpperCase()}${text.slice(1)}.` };
}

// Turns a JSON Pointer (RFC 6901) into path keys, with array indices as numbers.
function pathOf(pointer: string, data: unknown): Array<string | number> {
  if (pointer === '') {
    return [];
  }

  const path: Array<string | number> = [];
  let node = data;
  for (const token of pointer.slice(1).split('/')) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    path.push(Array.isArray(node) ? Number(key) : safeKey(key));
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }
  return path;
}

function resolvePointer(data: unknown, pointer: string): unknown {
  if (pointer === '') {
    return data;
  }

  let node = data;
  for (const token of pointer.slice(1).split('/')) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}
