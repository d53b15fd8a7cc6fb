import type { Keyring, SecretKeyInput } from '../../src/crypto/index.js';
import type { EcdhJwk } from '../../src/jwe/public-key.js';
import { assertSharedKey, loggerOf, optionInvalid, positiveIntegerOf } from './factory-options.js';
import type { Logger } from './logger.js';

/** The default largest response body that `encryptResponse` encrypts: 10 MiB. */
export const DEFAULT_RESPONSE_LIMIT_BYTES = 10 * 1024 * 1024;

/** A result that a key function may return synchronously or as a promise. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Options of `encryptResponse`. Give exactly one of `key`, `keyring`, `getKey` and `getPublicKey`.
 * The key functions receive the framework's own request: Express's `req` (with `req.auth` and
 * `req.user` set by earlier middleware), Koa's `ctx` (with `ctx.state.auth`). They run when the
 * body is complete, so they see what the route set.
 */
export interface EncryptResponseOptions<Request = unknown> {
  /** The 32-byte shared key (bytes, base64url or a secret `KeyObject`) for every response. */
  readonly key?: SecretKeyInput;
  /** A key ring from `createKeyring`: responses use its current key and carry its `kid`. */
  readonly keyring?: Keyring;
  /**
   * Returns the shared key or key ring for this request's client or tenant. Returning `undefined`
   * or `null`, or throwing, makes the response a 500 problem and its plaintext is not sent.
   */
  getKey?(request: Request): MaybePromise<SecretKeyInput | Keyring | null | undefined>;
  /**
   * Returns this client's X25519 or P-256 public JWK, such as the `cnf.jwk` claim of its verified
   * token (RFC 7800), so that the body is encrypted to it with `ECDH-ES+A256KW`. Returning
   * `undefined` or `null`, or throwing, makes the response a 500 problem.
   */
  getPublicKey?(request: Request): MaybePromise<EcdhJwk | null | undefined>;
  /**
   * `'always'` encrypts every response; `'accept'` encrypts only when the request's `Accept` header
   * lists `application/jose`, and adds `Vary: Accept`. Default: `'always'`.
   */
  readonly when?: 'always' | 'accept';
  /**
   * Whether error responses rendered by bulwark's `errorHandler` (`application/problem+json`, status
   * 400 or more) are encrypted too. Default: false, so that a client without the key can read a 401.
   */
  readonly encryptErrors?: boolean;
  /** The largest body, in bytes, that is encrypted; a larger one is a 500 problem. Default: 10 MiB. */
  readonly limit?: number;
  /** Receives the reason when a response cannot be encrypted. Default: none, and nothing is logged. */
  readonly logger?: Logger;
}

/** The source of a response's key, resolved once from the options. */
export type KeySource<Request> =
  | { readonly kind: 'shared'; readonly key: SecretKeyInput | Keyring }
  | { readonly kind: 'getKey'; readonly getKey: NonNullable<EncryptResponseOptions<Request>['getKey']> }
  | { readonly kind: 'getPublicKey'; readonly getPublicKey: NonNullable<EncryptResponseOptions<Request>['getPublicKey']> };

/** The options of `encryptResponse` after validation, with every default filled in. */
export interface ResponseEncryptionSettings<Request = unknown> {
  readonly keySource: KeySource<Request>;
  readonly when: 'always' | 'accept';
  readonly encryptErrors: boolean;
  readonly limit: number;
  readonly logger: Logger | undefined;
}

const KEY_OPTIONS = ['key', 'keyring', 'getKey', 'getPublicKey'] as const;

/**
 * Validates the options of `encryptResponse` once, at factory time, and fills in the defaults.
 * A shared key or key ring is checked by encrypting an empty string with it, so a wrong key fails
 * here and not on the first request.
 *
 * @throws BulwarkError `ERR_OPTION_INVALID` naming the option and the fix.
 * @example
 * ```ts
 * const settings = resolveEncryptResponseOptions({ key: process.env.REPORT_KEY, when: 'accept' });
 * ```
 */
export function resolveEncryptResponseOptions<Request>(
  options: EncryptResponseOptions<Request>,
): ResponseEncryptionSettings<Request> {
  if (typeof options !== 'object' || options === null) {
    throw optionInvalid('options', 'encryptResponse options must be an object with a key, keyring, getKey or getPublicKey.');
  }

  return {
    keySource: keySourceOf(options),
    when: whenOf(options.when),
    encryptErrors: booleanOf(options.encryptErrors, 'encryptErrors'),
    limit: positiveIntegerOf(options.limit, DEFAULT_RESPONSE_LIMIT_BYTES, 'encryptResponse', 'limit', 'bytes'),
    logger: loggerOf(options.logger, 'encryptResponse'),
  };
}

function keySourceOf<Request>(options: EncryptResponseOptions<Request>): KeySource<Request> {
  const given = KEY_OPTIONS.filter((name) => options[name] !== undefined);
  if (given.length !== 1) {
    throw optionInvalid(
      'key',
      `encryptResponse needs exactly one of the options key, keyring, getKey and getPublicKey; got ${given.length === 0 ? 'none' : given.join(', ')}.`,
    );
  }

  const name = given[0]!;
  if (name === 'getKey' || name === 'getPublicKey') {
    if (typeof options[name] !== 'function') {
      throw optionInvalid(name, `encryptResponse option "${name}" must be a function of the request.`);
    }
    // Bound, so that a method of an app object keeps its `this`.
    return name === 'getKey'
      ? { kind: 'getKey', getKey: options.getKey!.bind(options) }
      : { kind: 'getPublicKey', getPublicKey: options.getPublicKey!.bind(options) };
  }

  const key = options[name]!;
  assertSharedKey(key, name, 'encryptResponse');
  return { kind: 'shared', key };
}

function whenOf(value: unknown): 'always' | 'accept' {
  if (value === undefined) {
    return 'always';
  }
  if (value !== 'always' && value !== 'accept') {
    throw optionInvalid('when', 'encryptResponse option "when" must be "always" or "accept".');
  }
  return value;
}

function booleanOf(value: unknown, name: string): boolean {
  if (value === undefined) {
    return false;
  }
  if (typeof value !== 'boolean') {
    throw optionInvalid(name, `encryptResponse option "${name}" must be true or false.`);
  }
  return value;
}
