import { KeyObject } from 'node:crypto';

import { isBulwarkError } from '../errors.js';
import { createJwtVerifier } from './verifier.js';
import type { JwtPayload, KeyInput, VerifiedJwt, VerifyJwtOptions } from './types.js';

/** A single key, or a key ring by `kid`. */
export type VerificationKeys = KeyInput | Readonly<Record<string, KeyInput>>;

/**
 * Verifies one JWT with the same rules as {@link createJwtVerifier}. It prepares the key on every
 * call, so a server that verifies many tokens should create a verifier once instead.
 *
 * @example
 * ```ts
 * const { payload } = await verifyJwt(token, publicKeyPem, { issuer: 'https://auth.example/' });
 * ```
 */
export async function verifyJwt<P extends JwtPayload = JwtPayload>(
  token: string,
  keys: VerificationKeys,
  options: VerifyJwtOptions<P> = {},
): Promise<VerifiedJwt<P>> {
  const source = isSingleKey(keys) ? { key: keys } : { keys };
  return createJwtVerifier<P>({ ...options, ...source })(token);
}

/**
 * Tells whether a JWT passes {@link verifyJwt}. Returns `false` for every bad token and never
 * throws for one. A wrong option, or an error from `checkClaims` that is not a `BulwarkError`,
 * still throws, because those are not the token's fault.
 *
 * @example
 * ```ts
 * if (await validateJwt(token, secret, { issuer: 'https://auth.example/' })) {
 *   // the token is genuine and current
 * }
 * ```
 */
export async function validateJwt(token: string, keys: VerificationKeys, options: VerifyJwtOptions = {}): Promise<boolean> {
  const verify = createJwtVerifier({ ...options, ...(isSingleKey(keys) ? { key: keys } : { keys }) });
  try {
    await verify(token);
    return true;
  } catch (error) {
    if (!isBulwarkError(error)) {
      throw error;
    }
    return false;
  }
}

function isSingleKey(keys: VerificationKeys): keys is KeyInput {
  return (
    keys instanceof KeyObject ||
    typeof keys === 'string' ||
    keys instanceof Uint8Array ||
    (typeof keys === 'object' && keys !== null && typeof (keys as { kty?: unknown }).kty === 'string')
  );
}
