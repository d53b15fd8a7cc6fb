import { BulwarkError } from '../errors.js';
import { importVerificationKey, type KeyContext } from './key-import.js';
import { algorithmsForKey, describeKey, explainUnusableKey, isHmacAlgorithm } from './key-types.js';
import { createSignatureVerifier, type SignatureVerifier } from './signature.js';
import type { JwtAlgorithm, KeyInput } from './types.js';

/** A verification key with everything the request path needs prepared: one verifier per allowed algorithm. */
export interface PreparedKey {
  readonly verifiers: ReadonlyMap<string, SignatureVerifier>;
}

/**
 * Imports a verification key and prepares a verifier for each algorithm that both the key's type
 * and the configured list allow (RFC 8725 section 3.1: the header only selects among these).
 * Throws with `context.code` when the key fits none of them.
 */
export function prepareVerificationKey(
  input: KeyInput,
  context: KeyContext,
  configuredAlgorithms: ReadonlySet<JwtAlgorithm> | undefined,
): PreparedKey {
  const { keyObject, pinnedAlgorithm } = importVerificationKey(input, context);

  const keyAlgorithms = algorithmsForKey(keyObject);
  if (keyAlgorithms.length === 0) {
    throw new BulwarkError(context.code, `The ${context.label} is unusable: ${explainUnusableKey(keyObject)}.`, detailsOf(context));
  }

  let allowed = keyAlgorithms;
  if (pinnedAlgorithm !== undefined) {
    allowed = allowed.filter((algorithm) => algorithm === pinnedAlgorithm);
  }
  if (configuredAlgorithms !== undefined) {
    allowed = allowed.filter((algorithm) => configuredAlgorithms.has(algorithm));
  }

  if (allowed.length === 0) {
    throw new BulwarkError(context.code, mismatchMessage(context, describeKey(keyObject), keyAlgorithms, pinnedAlgorithm), {
      ...detailsOf(context),
      ...(context.code === 'ERR_OPTION_INVALID' ? { option: 'algorithms' } : {}),
    });
  }

  const verifiers = new Map<string, SignatureVerifier>();
  for (const algorithm of allowed) {
    verifiers.set(algorithm, createSignatureVerifier(algorithm, keyObject));
  }
  return { verifiers };
}

function mismatchMessage(
  context: KeyContext,
  keyDescription: string,
  keyAlgorithms: readonly JwtAlgorithm[],
  pinnedAlgorithm: JwtAlgorithm | undefined,
): string {
  const pin = pinnedAlgorithm === undefined ? '' : ` and its JWK "alg" is ${pinnedAlgorithm}`;
  const hmacNote = keyAlgorithms.some(isHmacAlgorithm)
    ? ' HS384 needs a secret of at least 48 bytes and HS512 one of at least 64 (RFC 7518 section 3.2).'
    : '';
  return (
    `The algorithms option does not fit the ${context.label}: it is an ${keyDescription}${pin}, ` +
    `which allows ${keyAlgorithms.join(', ')}. Set algorithms to those the key allows.${hmacNote}`
  );
}

function detailsOf(context: KeyContext): Record<string, unknown> {
  return context.code === 'ERR_OPTION_INVALID' ? { option: context.label } : { reason: 'key_invalid' };
}
