import { encrypt, type Keyring, type SecretKeyInput } from '../../src/crypto/index.js';
import { BulwarkError } from '../../src/errors.js';
import type { Logger } from './logger.js';

// Option checks shared by the middleware factories. Each runs once, when the factory is called,
// and its message names the factory, the option and the fix.

/**
 * Checks a shared key or key ring option by encrypting an empty string with it, so that a wrong
 * key fails when the factory is called and not on the first request.
 *
 * @throws BulwarkError `ERR_OPTION_INVALID` naming the option, without the key.
 * @example
 * ```ts
 * assertSharedKey(options.key, 'key', 'decryptRequest');
 * ```
 */
export function assertSharedKey(key: SecretKeyInput | Keyring, name: 'key' | 'keyring', factory: string): void {
  try {
    encrypt('', key);
  } catch {
    const fix = name === 'key' ? 'a 32-byte key: bytes, base64url (generateSecretKey()) or a secret KeyObject' : 'a key ring from createKeyring()';
    throw optionInvalid(name, `${factory} option "${name}" must be ${fix}.`);
  }
}

/**
 * Reads a positive whole-number option, such as a limit in bytes, or returns the default when the
 * option is absent.
 *
 * @example
 * ```ts
 * const limit = positiveIntegerOf(options.limit, 100 * 1024, 'decryptRequest', 'limit', 'bytes');
 * ```
 */
export function positiveIntegerOf(value: unknown, fallback: number, factory: string, option: string, unit: string): number {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw optionInvalid(option, `${factory} option "${option}" must be a positive whole number of ${unit}.`);
  }
  return value;
}

/**
 * Reads a `logger` option: undefined, or an object with `info`, `warn` and `error` methods.
 *
 * @example
 * ```ts
 * const logger = loggerOf(options.logger, 'encryptResponse');
 * ```
 */
export function loggerOf(value: unknown, factory: string): Logger | undefined {
  if (value === undefined) {
    return undefined;
  }

  const hasMethods =
    typeof value === 'object' &&
    value !== null &&
    ['info', 'warn', 'error'].every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
  if (!hasMethods) {
    throw optionInvalid('logger', `${factory} option "logger" must have info, warn and error methods, such as console.`);
  }
  return value as Logger;
}

/**
 * Builds the `ERR_OPTION_INVALID` error for a factory option.
 *
 * @example
 * ```ts
 * throw optionInvalid('limit', 'decryptRequest option "limit" must be a positive whole number of bytes.');
 * ```
 */
export function optionInvalid(option: string, message: string): BulwarkError {
  return new BulwarkError('ERR_OPTION_INVALID', message, { option });
}
