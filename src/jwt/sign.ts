import { randomUUID } from 'node:crypto';

import { BulwarkError } from '../errors.js';
import { encodeBase64url } from './base64url.js';
import { parseDurationSeconds } from './duration.js';
import { importSigningKey } from './key-import.js';
import { algorithmsForKey, describeKey, explainUnusableKey } from './key-types.js';
import { createSignatureSigner } from './signature.js';
import { JWT_ALGORITHMS, type Duration, type JwtAlgorithm, type JwtHeader, type JwtPayload, type KeyInput, type SignJwtOptions } from './types.js';

/**
 * Signs claims as a JWT in compact JWS form. Sets `iat` to now unless the claims carry one, and the
 * other registered claims from the options. The algorithm defaults from the key's type and must be
 * one that the key allows; HMAC secrets must be at least 32 bytes.
 *
 * Throws `BulwarkError('ERR_OPTION_INVALID')` for a wrong option and `ERR_INVALID_ARGUMENT` for
 * claims that are not a plain object or that set a claim that an option also sets.
 *
 * @example
 * ```ts
 * const token = await signJwt({ sub: 'user-42', scope: 'orders:read' }, privateKeyPem, {
 *   expiresIn: '15m',
 *   issuer: 'https://auth.example/',
 *   audience: 'https://api.example/',
 * });
 * ```
 */
export async function signJwt(claims: JwtPayload, privateKey: KeyInput, options: SignJwtOptions = {}): Promise<string> {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new BulwarkError('ERR_INVALID_ARGUMENT', 'The claims must be a plain object.', { argument: 'claims' });
  }

  const { keyObject } = importSigningKey(privateKey, { label: 'signing key', code: 'ERR_OPTION_INVALID' });
  const algorithm = chooseAlgorithm(keyObject, options.algorithm);
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);

  const header: JwtHeader = { alg: algorithm, typ: options.typ === undefined ? 'JWT' : requireString(options.typ, 'typ') };
  if (options.kid !== undefined) {
    header.kid = requireString(options.kid, 'kid');
  }

  const payload = { iat: nowSeconds, ...claims, ...registeredClaims(claims, options, nowSeconds) };

  const signingInput = `${encodeBase64url(JSON.stringify(header))}.${encodeBase64url(JSON.stringify(payload))}`;
  const signature = createSignatureSigner(algorithm, keyObject)(Buffer.from(signingInput, 'latin1'));
  return `${signingInput}.${encodeBase64url(signature)}`;
}

function chooseAlgorithm(key: Parameters<typeof algorithmsForKey>[0], requested: JwtAlgorithm | undefined): JwtAlgorithm {
  const allowed = algorithmsForKey(key);
  if (allowed.length === 0) {
    throw new BulwarkError('ERR_OPTION_INVALID', `The signing key is unusable: ${explainUnusableKey(key)}.`, { option: 'privateKey' });
  }

  if (requested === undefined) {
    // RSA keys allow RS256 first and RSA-PSS keys PS256 first, which are the defaults.
    return allowed[0] as JwtAlgorithm;
  }
  if (!JWT_ALGORITHMS.includes(requested)) {
    throw new BulwarkError('ERR_OPTION_INVALID', `The algorithm option must be one of ${JWT_ALGORITHMS.join(', ')}.`, { option: 'algorithm' });
  }
  if (!allowed.includes(requested)) {
    throw new BulwarkError(
      'ERR_OPTION_INVALID',
      `The algorithm option does not fit the signing key, an ${describeKey(key)}, which allows ${allowed.join(', ')}.`,
      { option: 'algorithm' },
    );
  }
  return requested;
}

function registeredClaims(claims: JwtPayload, options: SignJwtOptions, nowSeconds: number): JwtPayload {
  const set: JwtPayload = {};

  if (options.expiresIn !== undefined) set.exp = nowSeconds + readDuration(options.expiresIn, 'expiresIn');
  if (options.notBefore !== undefined) set.nbf = nowSeconds + readDuration(options.notBefore, 'notBefore');
  if (options.issuer !== undefined) set.iss = requireString(options.issuer, 'issuer');
  if (options.subject !== undefined) set.sub = requireString(options.subject, 'subject');
  if (options.audience !== undefined) set.aud = readAudience(options.audience);
  if (options.jti !== undefined) set.jti = options.jti === true ? randomUUID() : requireString(options.jti, 'jti');

  for (const claim of Object.keys(set)) {
    if (claims[claim] !== undefined) {
      throw new BulwarkError('ERR_INVALID_ARGUMENT', `The "${claim}" claim is set both in the claims and by an option; set it in one place.`, {
        argument: 'claims',
        claim,
      });
    }
  }
  return set;
}

function readDuration(value: Duration, option: string): number {
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined) {
    throw new BulwarkError('ERR_OPTION_INVALID', `The ${option} option must be a number of seconds or a duration such as '15m'.`, { option });
  }
  return seconds;
}

function readAudience(value: string | readonly string[]): string | string[] {
  if (typeof value === 'string' && value.length > 0) {
    return value;
  }
  if (Array.isArray(value) && value.length > 0 && value.every((entry) => typeof entry === 'string' && entry.length > 0)) {
    return [...value];
  }
  throw new BulwarkError('ERR_OPTION_INVALID', 'The audience option must be a non-empty string or list of strings.', { option: 'audience' });
}

function requireString(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new BulwarkError('ERR_OPTION_INVALID', `The ${option} option must be a non-empty string.`, { option });
  }
  return value;
}
