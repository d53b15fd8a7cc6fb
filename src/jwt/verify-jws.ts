import { decodeBase64url } from './base64url.js';
import { decodeCompactJws } from './compact.js';
import { prepareVerificationKey } from './prepared-key.js';
import { verifySignature } from './verifier.js';
import { optionError, readMaxTokenBytes } from './verifier-options.js';
import { JWT_ALGORITHMS, type JwtAlgorithm, type JwtHeader, type KeyInput } from './types.js';

/** Options of {@link verifyJws}. */
export interface VerifyJwsOptions {
  /** The accepted algorithms; the key's type narrows them further. Required: a bare JWS has no other policy. */
  readonly algorithms: readonly JwtAlgorithm[];
  /** The largest accepted JWS, in bytes. Default: 8192. */
  readonly maxTokenBytes?: number;
}

/** A verified JWS: the payload bytes, which may be anything, and the protected header. */
export interface VerifiedJws {
  readonly payload: Buffer;
  readonly protectedHeader: JwtHeader;
}

/**
 * Verifies a compact JWS (RFC 7515) whose payload is not a JWT: the same encoding, header,
 * algorithm and signature rules as `createJwtVerifier`, and no claim checks. Use it for signed
 * documents; use `createJwtVerifier` for tokens.
 *
 * @example
 * ```ts
 * const { payload } = await verifyJws(compact, publicJwk, { algorithms: ['ES512'] });
 * console.log(payload.toString('utf8'));
 * ```
 */
export async function verifyJws(jws: string, key: KeyInput, options: VerifyJwsOptions): Promise<VerifiedJws> {
  const algorithms = readAlgorithms(options);
  const maxTokenBytes = readMaxTokenBytes(options.maxTokenBytes);
  const decoded = decodeCompactJws(jws, maxTokenBytes);

  // The list is checked before the key, so a JWS in an algorithm outside it is always reported as
  // such, even when the key fits none of the listed algorithms.
  if (!algorithms.has(decoded.header.alg as JwtAlgorithm)) {
    verifySignature(decoded, undefined);
  }

  const prepared = prepareVerificationKey(key, { label: 'key', code: 'ERR_OPTION_INVALID' }, algorithms);
  verifySignature(decoded, prepared.verifiers.get(decoded.header.alg));

  return { payload: decodeBase64url(decoded.payloadSegment), protectedHeader: decoded.header };
}

function readAlgorithms(options: VerifyJwsOptions): ReadonlySet<JwtAlgorithm> {
  const algorithms = options?.algorithms;
  if (!Array.isArray(algorithms) || algorithms.length === 0 || !algorithms.every((entry) => JWT_ALGORITHMS.includes(entry))) {
    throw optionError('algorithms', `must be a non-empty list of ${JWT_ALGORITHMS.join(', ')}`);
  }
  return new Set(algorithms);
}
