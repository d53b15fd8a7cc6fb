import { BulwarkError } from '../errors.js';
import { invalidOption, isPlainObject } from './internal/arguments.js';
import { type PreparedSecretKey, type SecretKeyInput, prepareSecretKey, toSecretKeyObject } from './secret-key.js';

/** Options of {@link createKeyring}. */
export interface KeyringOptions {
  /** The key id that {@link encrypt} uses; it must name one of `keys`. */
  readonly current: string;
  /** Every key the ring holds, by key id: the current one and older ones that still decrypt. */
  readonly keys: Readonly<Record<string, SecretKeyInput>>;
}

/**
 * A set of 32-byte keys by key id (`kid`), made by {@link createKeyring}. It exposes the ids but
 * never the keys.
 */
export interface Keyring {
  /** The key id that new tokens are encrypted with. */
  readonly current: string;
  /** Every key id in the ring. */
  readonly kids: readonly string[];
}

/** The prepared keys behind a keyring; kept outside the public object so that it never shows them. */
export interface KeyringEntries {
  readonly current: string;
  readonly keys: ReadonlyMap<string, PreparedSecretKey>;
}

const keyringEntries = new WeakMap<Keyring, KeyringEntries>();

// A kid travels in every token header, so it stays short and printable.
const KID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/**
 * Creates a keyring for key rotation: {@link encrypt} uses the `current` key and writes its id into
 * the token's `kid` header, and {@link decrypt} picks the key that the token's `kid` names. To
 * rotate, add a new key, make it current, and remove the old one once no live token uses it.
 *
 * Every key is checked here, once, so a bad key fails at startup rather than on a request.
 *
 * @throws BulwarkError `ERR_OPTION_INVALID` when `current` or a key id is missing or malformed,
 *   `ERR_KEY_INVALID` when a key is not 32 bytes.
 *
 * @example
 * ```ts
 * const keyring = createKeyring({
 *   current: '2026-12',
 *   keys: { '2026-12': process.env.KEY_2026_12!, '2026-06': process.env.KEY_2026_06! },
 * });
 * const token = encrypt({ cart: [1, 2] }, keyring); // header kid: '2026-12'
 * decrypt(token, keyring);
 * ```
 */
export function createKeyring(options: KeyringOptions): Keyring {
  if (!isPlainObject(options)) {
    invalidOption('createKeyring options', 'an object { current, keys }');
  }

  const { current, keys } = options;
  if (!isPlainObject(keys) || Object.keys(keys).length === 0) {
    invalidOption('keys', 'an object of key id to 32-byte key with at least one entry');
  }

  const prepared = new Map<string, PreparedSecretKey>();
  for (const [kid, key] of Object.entries(keys)) {
    if (!KID_PATTERN.test(kid)) {
      invalidOption('keys', 'key ids of 1 to 128 printable ASCII characters without spaces');
    }
    prepared.set(kid, toSecretKeyObject(prepareSecretKey(key)));
  }

  if (typeof current !== 'string' || !prepared.has(current)) {
    invalidOption('current', 'the key id of one of the keys');
  }

  const keyring: Keyring = Object.freeze({ current, kids: Object.freeze([...prepared.keys()]) });
  keyringEntries.set(keyring, { current, keys: prepared });
  return keyring;
}

/** Returns the prepared keys of a keyring, or undefined when `value` is not one. */
export function getKeyringEntries(value: unknown): KeyringEntries | undefined {
  return typeof value === 'object' && value !== null ? keyringEntries.get(value as Keyring) : undefined;
}

/** Returns the key with the given id from a keyring, or throws `ERR_KEY_NOT_FOUND`. */
export function requireKeyringKey(entries: KeyringEntries, kid: string): PreparedSecretKey {
  const key = entries.keys.get(kid);
  if (key === undefined) {
    throw new BulwarkError('ERR_KEY_NOT_FOUND', 'The keyring has no key with the requested kid.');
  }
  return key;
}

/** Tells whether a string is a valid key id. */
export function isValidKid(kid: unknown): kid is string {
  return typeof kid === 'string' && KID_PATTERN.test(kid);
}
