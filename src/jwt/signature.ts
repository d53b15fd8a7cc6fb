import {
  constants,
  createHmac,
  sign as cryptoSign,
  timingSafeEqual,
  verify as cryptoVerify,
  type KeyObject,
  type SignKeyObjectInput,
  type VerifyKeyObjectInput,
} from 'node:crypto';

import type { JwtAlgorithm } from './types.js';

/** Checks a signature over the signing input (`header.payload` as ASCII bytes). */
export type SignatureVerifier = (signingInput: Buffer, signature: Buffer) => boolean;

/** Produces a signature over the signing input. */
export type SignatureSigner = (signingInput: Buffer) => Buffer;

const HASH_BY_SUFFIX: Readonly<Record<string, string>> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/** The length of an ECDSA signature in the JOSE encoding, r and s side by side (RFC 7518 section 3.4). */
const ECDSA_SIGNATURE_BYTES: Readonly<Record<string, number>> = { ES256: 64, ES384: 96, ES512: 132 };

function hashOf(algorithm: JwtAlgorithm): string {
  return HASH_BY_SUFFIX[algorithm.slice(2)] ?? 'sha256';
}

/**
 * Prepares the check of one algorithm with one key, on `node:crypto` directly. The caller has
 * already made sure that the key's type allows the algorithm.
 */
export function createSignatureVerifier(algorithm: JwtAlgorithm, key: KeyObject): SignatureVerifier {
  const family = algorithm.slice(0, 2);
  const hash = hashOf(algorithm);

  if (family === 'HS') {
    // createHmac is markedly faster with the raw bytes than with a KeyObject, so export them once.
    const secret = key.export();
    return (signingInput, signature) => {
      const expected = createHmac(hash, secret).update(signingInput).digest();
      return signature.length === expected.length && timingSafeEqual(signature, expected);
    };
  }

  if (algorithm === 'EdDSA') {
    return (signingInput, signature) => safeVerify(null, signingInput, key, signature);
  }

  if (family === 'ES') {
    const expectedLength = ECDSA_SIGNATURE_BYTES[algorithm];
    const keyInput: VerifyKeyObjectInput = { key, dsaEncoding: 'ieee-p1363' };
    return (signingInput, signature) =>
      signature.length === expectedLength && safeVerify(hash, signingInput, keyInput, signature);
  }

  if (family === 'PS') {
    // RFC 7518 section 3.5: MGF1 with the same hash, and a salt as long as the hash output.
    const keyInput: VerifyKeyObjectInput = {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: Number(algorithm.slice(2)) / 8,
    };
    return (signingInput, signature) => safeVerify(hash, signingInput, keyInput, signature);
  }

  const keyInput: VerifyKeyObjectInput = { key, padding: constants.RSA_PKCS1_PADDING };
  return (signingInput, signature) => safeVerify(hash, signingInput, keyInput, signature);
}

/** Prepares signing with one algorithm and one private key or secret. */
export function createSignatureSigner(algorithm: JwtAlgorithm, key: KeyObject): SignatureSigner {
  const family = algorithm.slice(0, 2);
  const hash = hashOf(algorithm);

  if (family === 'HS') {
    return (signingInput) => createHmac(hash, key).update(signingInput).digest();
  }
  if (algorithm === 'EdDSA') {
    return (signingInput) => cryptoSign(null, signingInput, key);
  }

  let keyInput: SignKeyObjectInput = { key, padding: constants.RSA_PKCS1_PADDING };
  if (family === 'ES') {
    keyInput = { key, dsaEncoding: 'ieee-p1363' };
  } else if (family === 'PS') {
    keyInput = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(algorithm.slice(2)) / 8 };
  }
  return (signingInput) => cryptoSign(hash, signingInput, keyInput);
}

function safeVerify(
  hash: string | null,
  data: Buffer,
  key: KeyObject | VerifyKeyObjectInput,
  signature: Buffer,
): boolean {
  try {
    return cryptoVerify(hash, data, key, signature);
  } catch {
    // OpenSSL raises on some malformed signatures instead of returning false.
    return false;
  }
}
