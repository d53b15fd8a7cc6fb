import { BulwarkError } from '../../errors.js';

/** Throws the error for a call argument of the wrong type or range; `name` is the parameter's name. */
export function invalidArgument(name: string, expectation: string): never {
  throw new BulwarkError('ERR_INVALID_ARGUMENT', `Invalid ${name}: expected ${expectation}.`, { argument: name });
}

/** Throws the error for an option of the wrong type or value, naming the option and the fix. */
export function invalidOption(name: string, expectation: string): never {
  throw new BulwarkError('ERR_OPTION_INVALID', `Invalid option ${name}: expected ${expectation}.`, { option: name });
}

/** Tells whether `value` is a non-null object that is not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an options argument: undefined becomes an empty object, anything but an object is rejected. */
export function readOptions<T extends object>(options: T | undefined, name = 'options'): Partial<T> {
  if (options === undefined) {
    return {};
  }
  if (!isPlainObject(options)) {
    invalidArgument(name, 'an object or undefined');
  }
  return options;
}

// `String.prototype.isWellFormed` exists from Node 20 on, but the project's `lib` setting predates it.
interface WellFormedCheck {
  isWellFormed(): boolean;
}

/** Tells whether a string has a UTF-8 encoding, that is, no lone UTF-16 surrogate. */
export function isWellFormedString(text: string): boolean {
  return (text as unknown as WellFormedCheck).isWellFormed();
}

/**
 * Converts data to bytes: a string becomes its UTF-8 encoding, a Uint8Array is used as is.
 * A string with a lone surrogate has no UTF-8 encoding and is rejected, because Buffer would
 * replace it with U+FFFD and the bytes would no longer match the text.
 */
export function toBytes(data: unknown, name: string): Uint8Array {
  if (data instanceof Uint8Array) {
    return data;
  }
  if (typeof data === 'string') {
    if (!isWellFormedString(data)) {
      invalidArgument(name, 'a well-formed string (this one contains a lone surrogate)');
    }
    return Buffer.from(data, 'utf8');
  }
  return invalidArgument(name, 'a string or a Uint8Array');
}

/** Checks that `value` is an integer from `min` to `max`, inclusive. */
export function assertIntegerInRange(value: unknown, name: string, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalidArgument(name, `an integer from ${min} to ${max}`);
  }
}
