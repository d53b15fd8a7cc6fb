import { MAX_ISSUES, safeKey, unknownKeyIssue } from './issues.js';
import type { ValidationIssue } from './types.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Finds the keys that are present in an input object but absent from the schema's output object at
 * the same path: the keys that a Standard Schema dropped because it does not declare them.
 *
 * The walk follows objects and arrays that exist on both sides, and stops where the output is not
 * a plain object or array (a transform produced something else). It returns at most
 * {@link MAX_ISSUES} issues and walks without recursion, so deep input cannot overflow the stack.
 *
 * NOTE: a transform that renames or drops input keys makes those keys look unknown. Such schemas
 * need `unknownKeys: 'strip'`, or a strict object schema that reports unknown keys itself.
 */
export function findDroppedKeys(input: unknown, output: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const pending: Array<{ input: unknown; output: unknown; path: ReadonlyArray<string | number> }> = [
    { input, output, path: [] },
  ];

  while (pending.length > 0 && issues.length < MAX_ISSUES) {
    const entry = pending.pop()!;

    if (Array.isArray(entry.input) && Array.isArray(entry.output)) {
      const length = Math.min(entry.input.length, entry.output.length);
      for (let index = length - 1; index >= 0; index -= 1) {
        pending.push({ input: entry.input[index], output: entry.output[index], path: [...entry.path, index] });
      }
      continue;
    }

    if (!isPlainObject(entry.input) || !isPlainObject(entry.output)) {
      continue;
    }

    for (const key of Object.keys(entry.input)) {
      if (!Object.prototype.hasOwnProperty.call(entry.output, key)) {
        issues.push(unknownKeyIssue(entry.path, key));
        if (issues.length >= MAX_ISSUES) {
          break;
        }
        continue;
      }
      const inputChild = entry.input[key];
      if (typeof inputChild === 'object' && inputChild !== null) {
        pending.push({ input: inputChild, output: entry.output[key], path: [...entry.path, safeKey(key)] });
      }
    }
  }

  return issues;
}
