import type { StandardSchemaV1 } from '@standard-schema/spec';

import { BulwarkError } from '../errors.js';
import { boundOf, capIssues, expectedTypeMessage, MAX_ISSUES, safeCode, safeKey, unknownKeyIssue } from './issues.js';
import type { CompiledSchema, UnknownKeys, ValidationIssue, ValidationResult } from './types.js';
import { findDroppedKeys } from './unknown-keys.js';

/** Tells whether a value is a Standard Schema v1 object: it has a `~standard` property. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && '~standard' in value;
}

/**
 * Prepares a Standard Schema for validation. The schema library validates, and this layer maps its
 * issues to messages that never contain input. With `unknownKeys: 'reject'`, it also compares the
 * input with the output to find the keys that the schema dropped.
 */
export function compileStandardSchema<Output>(schema: StandardSchemaV1, unknownKeys: UnknownKeys): CompiledSchema<Output> {
  const props = schema['~standard'];
  if (typeof props !== 'object' || props === null || props.version !== 1 || typeof props.validate !== 'function') {
    throw new BulwarkError(
      'ERR_SCHEMA_INVALID',
      'The schema has a "~standard" property but is not a Standard Schema v1: "~standard.version" must be 1 and "~standard.validate" a function.',
    );
  }

  const validateWithLibrary = props.validate.bind(props);
  const settle = (data: unknown, result: StandardSchemaV1.Result<unknown>): ValidationResult<Output> => {
    if (result.issues) {
      return { ok: false, issues: capIssues(result.issues.slice(0, MAX_ISSUES).flatMap(toSafeIssue)) };
    }
    if (unknownKeys === 'reject') {
      const dropped = findDroppedKeys(data, result.value);
      if (dropped.length > 0) {
        return { ok: false, issues: dropped };
      }
    }
    return { ok: true, value: result.value as Output };
  };

  // NOTE: zod 4 and valibot 1 build an issue for every failing value before bulwark keeps the
  // first ones, so rejecting a body is linear in its failing values. Only `limitBytes` bounds it.
  return {
    run(data) {
      const result = validateWithLibrary(data);
      return result instanceof Promise ? result.then((settled) => settle(data, settled)) : settle(data, result);
    },
  };
}

type LibraryIssue = StandardSchemaV1.Issue & Record<string, unknown>;

// Maps one library issue to safe issues. zod 4 issues carry `code`; valibot 1 issues carry `kind`
// and `type`. Both put received values into `message` (valibot: "but received \"...\""), so the
// library message is never used: the message is rebuilt from the code and the schema's bounds.
function toSafeIssue(issue: StandardSchemaV1.Issue): ValidationIssue[] {
  const libraryIssue = issue as LibraryIssue;
  const path = pathOf(issue);

  if (libraryIssue.code === 'unrecognized_keys' && Array.isArray(libraryIssue.keys)) {
    return libraryIssue.keys.map((key) => unknownKeyIssue(path, String(key)));
  }
  if (libraryIssue.type === 'strict_object' && libraryIssue.expected === 'never') {
    return [{ path, message: 'Unknown key.', code: 'unknown_key' }];
  }
  if (typeof libraryIssue.code === 'string') {
    return [zodIssue(libraryIssue, path)];
  }
  if (typeof libraryIssue.kind === 'string') {
    return [valibotIssue(libraryIssue, path)];
  }
  return [{ path, message: 'Invalid value.', code: 'invalid' }];
}

function pathOf(issue: StandardSchemaV1.Issue): Array<string | number> {
  if (issue.path === undefined) {
    return [];
  }
  return issue.path.map((segment) => safeKey(typeof segment === 'object' && segment !== null ? segment.key : segment));
}

function zodIssue(issue: LibraryIssue, path: Array<string | number>): ValidationIssue {
  const code = safeCode(issue.code);
  const minimum = boundOf(issue.minimum);
  const maximum = boundOf(issue.maximum);
  const divisor = boundOf(issue.divisor);

  switch (code) {
    case 'invalid_type':
      return { path, code, message: expectedTypeMessage(issue.expected) };
    case 'too_small':
      return { path, code, message: minimum === undefined ? 'Too small.' : `Too small: the minimum is ${minimum}.` };
    case 'too_big':
      return { path, code, message: maximum === undefined ? 'Too big.' : `Too big: the maximum is ${maximum}.` };
    case 'not_multiple_of':
      return { path, code, message: divisor === undefined ? 'Not a valid multiple.' : `Must be a multiple of ${divisor}.` };
    case 'invalid_format':
      return { path, code, message: formatMessage(issue.format) };
    case 'invalid_value':
      return { path, code, message: 'Not one of the allowed values.' };
    default:
      return { path, code, message: 'Invalid value.' };
  }
}

function valibotIssue(issue: LibraryIssue, path: Array<string | number>): ValidationIssue {
  const type = safeCode(issue.type);
  if (issue.kind === 'schema') {
    const message = type === 'literal' || type === 'picklist' || type === 'enum'
      ? 'Not one of the allowed values.'
      : expectedTypeMessage(issue.expected);
    return { path, code: 'invalid_type', message };
  }

  const requirement = boundOf(issue.requirement);
  const readable = type.replace(/_/g, ' ');
  const message = requirement === undefined ? `Invalid value: ${readable} check failed.` : `Invalid value: ${readable} is ${requirement}.`;
  return { path, code: type, message };
}

function formatMessage(format: unknown): string {
  if (typeof format === 'string' && /^[a-z0-9_-]{1,32}$/i.test(format)) {
    return `Invalid ${format} format.`;
  }
  return 'Invalid format.';
}
