import { base64url, compactDecrypt } from 'jose';
import { expect } from 'vitest';

import { decrypt } from 'bulwark/core';

/**
 * Decrypts a response token with jose's `compactDecrypt` and with bulwark's `decrypt`, checks that
 * both read the same value (JSON parsed, `text/*` as a string, else bytes), and returns it.
 */
export async function readToken(token: string, key: string): Promise<unknown> {
  const { plaintext, protectedHeader } = await compactDecrypt(token, base64url.decode(key), {
    keyManagementAlgorithms: ['dir'],
    contentEncryptionAlgorithms: ['A256GCM'],
  });
  const cty = String(protectedHeader.cty ?? '');
  const text = () => new TextDecoder().decode(plaintext);
  const viaJose = cty === 'json' || cty.endsWith('+json') ? JSON.parse(text()) : cty.startsWith('text/') ? text() : plaintext;

  const viaBulwark = decrypt(token, key);
  expect(viaJose).toEqual(viaBulwark);
  return viaBulwark;
}
