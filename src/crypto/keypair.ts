import { type KeyObject, createHash, generateKeyPairSync } from 'node:crypto';

import { invalidArgument, invalidOption, readOptions } from './internal/arguments.js';
import { MIN_RSA_MODULUS_BITS } from './signing-key.js';
import type { Jwk } from './types.js';

/** The key types {@link generateKeypair} makes, by JOSE name; `X25519` is for key agreement only. */
export type KeypairAlgorithm = 'EdDSA' | 'ES256' | 'PS256' | 'RS256' | 'X25519';

/** The form of the generated keys: PEM text (SPKI and PKCS#8) or JWK objects. */
export type KeyFormat = 'pem' | 'jwk';

/** Options of {@link generateKeypair}. */
export interface GenerateKeypairOptions<F extends KeyFormat = KeyFormat> {
  /** The key format. Default `'pem'`. */
  readonly format?: F;
  /** The RSA modulus in bits, for `RS256` and `PS256` only: 2048 to 8192, a multiple of 8. Default 3072. */
  readonly modulusLength?: number;
}

/** A generated key pair with its RFC 7638 thumbprint. */
export interface Keypair<F extends KeyFormat = 'pem'> {
  /** The public key: SPKI PEM text, or a public JWK with `kid` (and `alg`, except for X25519). */
  readonly publicKey: F extends 'jwk' ? Jwk : string;
  /** The private key: PKCS#8 PEM text, or a private JWK with `kid` (and `alg`, except for X25519). */
  readonly privateKey: F extends 'jwk' ? Jwk : string;
  /** The JWK thumbprint of the public key (RFC 7638, SHA-256, base64url): a stable key id. */
  readonly kid: string;
}

const ALGORITHMS: readonly string[] = ['EdDSA', 'ES256', 'PS256', 'RS256', 'X25519'];
const DEFAULT_MODULUS_BITS = 3072;
const MAX_MODULUS_BITS = 8192;

// RFC 7638 section 3.2: the thumbprint covers only the required members of each key type.
const THUMBPRINT_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};

/**
 * Generates an asymmetric key pair: Ed25519 for `EdDSA` (the default: small, fast, and with no
 * nonce to get wrong), P-256 for `ES256`, RSA for `RS256` and `PS256` (3072 bits by default,
 * 2048 at least), or X25519 for key agreement.
 *
 * RSA generation is synchronous and takes from tens of milliseconds to seconds: call it at startup
 * or in a script, not on a request path.
 *
 * @throws BulwarkError `ERR_OPTION_INVALID` for an unknown algorithm or format, or a
 *   `modulusLength` that is out of range or given for a key type without one.
 *
 * @example
 * ```ts
 * const { publicKey, privateKey, kid } = generateKeypair(); // Ed25519, PEM
 * const jwks = { keys: [generateKeypair('ES256', { format: 'jwk' }).publicKey] };
 * ```
 */
export function generateKeypair<F extends KeyFormat = 'pem'>(
  algorithm: KeypairAlgorithm = 'EdDSA',
  options?: GenerateKeypairOptions<F>,
): Keypair<F> {
  if (!ALGORITHMS.includes(algorithm)) {
    invalidOption('algorithm', `one of ${ALGORITHMS.join(', ')}`);
  }
  const { format = 'pem', modulusLength } = readOptions(options);
  if (format !== 'pem' && format !== 'jwk') {
    invalidOption('format', "'pem' or 'jwk'");
  }

  const { publicKey, privateKey } = generateKeyObjects(algorithm, modulusLength);
  const publicJwk = publicKey.export({ format: 'jwk' });
  const kid = jwkThumbprint(publicJwk);

  if (format === 'pem') {
    const pems: Keypair<'pem'> = {
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      kid,
    };
    return pems as unknown as Keypair<F>;
  }

  const labels: Jwk = algorithm === 'X25519' ? { kid } : { kid, alg: algorithm };
  const jwks: Keypair<'jwk'> = {
    publicKey: { ...publicJwk, ...labels },
    privateKey: { ...privateKey.export({ format: 'jwk' }), ...labels },
    kid,
  };
  return jwks as unknown as Keypair<F>;
}

/**
 * Computes the RFC 7638 JWK thumbprint: the SHA-256 of the key's required members, in
 * lexicographic order with no whitespace, as base64url.
 *
 * @example
 * ```ts
 * jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' });
 * // 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k' (RFC 8037 appendix A.3)
 * ```
 */
export function jwkThumbprint(jwk: Jwk): string {
  const members = THUMBPRINT_MEMBERS[String(jwk.kty)];
  if (members === undefined) {
    return invalidArgument('jwk', "a JWK with kty 'EC', 'OKP' or 'RSA'");
  }

  const required: Record<string, unknown> = {};
  for (const name of members) {
    if (typeof jwk[name] !== 'string') {
      invalidArgument('jwk', `a JWK whose ${name} member is a string`);
    }
    required[name] = jwk[name];
  }

  return createHash('sha256').update(JSON.stringify(required)).digest('base64url');
}

function generateKeyObjects(algorithm: string, modulusLength: unknown): { publicKey: KeyObject; privateKey: KeyObject } {
  const isRsa = algorithm === 'RS256' || algorithm === 'PS256';
  if (modulusLength !== undefined && !isRsa) {
    invalidOption('modulusLength', `no value: ${algorithm} keys have a fixed size`);
  }

  if (isRsa) {
    const bits = modulusLength ?? DEFAULT_MODULUS_BITS;
    if (!isValidModulusLength(bits)) {
      invalidOption('modulusLength', `a multiple of 8 from ${MIN_RSA_MODULUS_BITS} to ${MAX_MODULUS_BITS}`);
    }
    return generateKeyPairSync('rsa', { modulusLength: bits });
  }

  if (algorithm === 'ES256') {
    return generateKeyPairSync('ec', { namedCurve: 'P-256' });
  }
  return algorithm === 'X25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('ed25519');
}

function isValidModulusLength(bits: unknown): bits is number {
  return (
    typeof bits === 'number' &&
    Number.isInteger(bits) &&
    bits >= MIN_RSA_MODULUS_BITS &&
    bits <= MAX_MODULUS_BITS &&
    bits % 8 === 0
  );
}
