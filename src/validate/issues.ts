import type { ValidationIssue } from './types.js';

/**
 * The maximum number of issues returned for one value. The first ones are kept.
 *
 * @example
 * ```ts
 * if (!result.ok && result.issues.length === MAX_ISSUES) console.log('more issues were left out');
 * ```
 */
export const MAX_ISSUES = 20;

/**
 * The maximum length of a key in an issue path. Longer keys are cut and end with "...".
 *
 * @example
 * ```ts
 * const shown = key.length > MAX_PATH_KEY_LENGTH ? `${key.slice(0, MAX_PATH_KEY_LENGTH)}...` : key;
 * ```
 */
export const MAX_PATH_KEY_LENGTH = 64;

// Type names that may appear in a message. A name outside this list comes from somewhere that
// could carry input, so the message falls back to a generic one.
const TYPE_NAMES = new Set([
  'string', 'number', 'integer', 'boolean', 'bigint', 'symbol', 'null', 'undefined', 'object', 'array',
  'date', 'map', 'set', 'function', 'file', 'blob', 'nan', 'never', 'tuple', 'record', 'literal', 'enum',
]);

const CODE_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

/** Returns a path key that is safe to put in a response: a number, or a string cut to {@link MAX_PATH_KEY_LENGTH}. */
export function safeKey(key: PropertyKey): string | number {
  if (typeof key === 'number') {
    return key;
  }

  const text = typeof key === 'symbol' ? (key.description ?? 'symbol') : key;
  return text.length > MAX_PATH_KEY_LENGTH ? `${text.slice(0, MAX_PATH_KEY_LENGTH)}...` : text;
}

/** Normalizes a library's issue code to lower-case snake case, or `invalid` when it does not fit. */
export function safeCode(code: unknown): string {
  if (typeof code !== 'string') {
    return 'invalid';
  }

  const normalized = code.toLowerCase();
  return CODE_PATTERN.test(normalized) ? normalized : 'invalid';
}

/**
 * Builds "Expected string." or "Expected string or null." from type names on the allow list, or a
 * generic message when a name is not on it.
 */
export function expectedTypeMessage(typeNames: unknown): string {
  const names = Array.isArray(typeNames) ? typeNames : [typeNames];
  const allowed = names.every((name) => typeof name === 'string' && TYPE_NAMES.has(name.toLowerCase()));
  if (!allowed || names.length === 0) {
    return 'Invalid type.';
  }
  return `Expected ${names.map((name: string) => name.toLowerCase()).join(' or ')}.`;
}

/** Formats a schema bound such as a minimum length; only finite numbers and bigints pass. */
export function boundOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value === 'bigint') {
    return value.toString();
  }
  return undefined;
}

/** Builds the issue for a key that the schema does not declare. */
export function unknownKeyIssue(parentPath: ReadonlyArray<string | number>, key: string): ValidationIssue {
  return { path: [...parentPath, safeKey(key)], message: 'Unknown key.', code: 'unknown_key' };
}

/** Keeps the first {@link MAX_ISSUES} issues. */
export function capIssues(issues: ValidationIssue[]): ValidationIssue[] {
  return issues.length > MAX_ISSUES ? issues.slice(0, MAX_ISSUES) : issues;
}
