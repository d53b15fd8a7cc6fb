import { createCipheriv, createDecipheriv } from 'node:crypto';

import { type PreparedSecretKey, preparedKeyLength } from '../secret-key.js';

/** AES-GCM with a 96-bit IV and a 128-bit tag: the only sizes bulwark accepts. */
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

const CIPHER_BY_KEY_BYTES: Readonly<Record<number, 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm'>> = {
  16: 'aes-128-gcm',
  24: 'aes-192-gcm',
  32: 'aes-256-gcm',
};

/** The output of one AES-GCM encryption. */
export interface GcmOutput {
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

/**
 * Encrypts with AES-GCM under a caller-chosen IV. Only {@link seal} and {@link encrypt} call it, each
 * with a fresh random IV: reusing an IV under one key reveals the XOR of the two plaintexts and the GHASH
 * key, which lets an attacker forge tags. Tests call it with the IVs of published vectors.
 */
export function gcmEncrypt(
  key: PreparedSecretKey,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): GcmOutput {
  const cipher = createCipheriv(cipherName(preparedKeyLength(key)), key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);

  const first = cipher.update(plaintext);
  const last = cipher.final();
  const ciphertext = last.length === 0 ? first : Buffer.concat([first, last]);

  return { ciphertext, tag: cipher.getAuthTag() };
}

/**
 * Decrypts with AES-GCM and checks the tag; returns undefined when the tag does not match.
 * The caller has already checked the IV and tag sizes.
 */
export function gcmDecrypt(
  key: PreparedSecretKey,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array,
): Buffer | undefined {
  const decipher = createDecipheriv(cipherName(preparedKeyLength(key)), key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);

  const first = decipher.update(ciphertext);
  try {
    const last = decipher.final();
    return last.length === 0 ? first : Buffer.concat([first, last]);
  } catch {
    // OpenSSL reports a tag mismatch only from final(); its message says nothing the caller may see.
    first.fill(0);
    return undefined;
  }
}

function cipherName(keyBytes: number): 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm' {
  const name = CIPHER_BY_KEY_BYTES[keyBytes];
  if (name === undefined) {
    throw new RangeError('AES-GCM keys are 16, 24 or 32 bytes.');
  }
  return name;
}
