// RFC 7520 section 4 signing examples, from the JOSE cookbook, run through verifyJws.
import { readFileSync } from 'node:fs';
import { createPrivateKey, createSecretKey } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { JWT_ALGORITHMS, verifyJws, type JwtAlgorithm } from 'bulwark/core';

import { createSignatureSigner } from '../../src/jwt/signature.js';
import { rejectionCode } from './keys.js';

interface CookbookExample {
  title: string;
  reproducible?: boolean;
  input: { payload: string; key: Record<string, string> & { kty: string }; alg: JwtAlgorithm };
  signing: { protected: Record<string, unknown>; 'sig-input': string; sig: string };
  output: { compact: string };
}

const FILES = [
  '4_1.rsa_v15_signature.json',
  '4_2.rsa-pss_signature.json',
  '4_3.ecdsa_signature.json',
  '4_4.hmac-sha2_integrity_protection.json',
];
const vectorsDirectory = fileURLToPath(new URL('../vectors/jose-cookbook/jws/', import.meta.url));
const examples = FILES.map((file) => JSON.parse(readFileSync(vectorsDirectory + file, 'utf8')) as CookbookExample);

/** Returns the public members of a JWK, or the whole JWK for a symmetric key. */
function publicJwk(key: CookbookExample['input']['key']): CookbookExample['input']['key'] {
  if (key.kty === 'oct') return key;
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicMembers } = key;
  return publicMembers as CookbookExample['input']['key'];
}

describe('RFC 7520 signing examples', () => {
  let ran = 0;

  it.each(examples.map((example) => [example.title, example] as const))('verifies %s with its algorithm allowed', async (_title, example) => {
    const { payload, protectedHeader } = await verifyJws(example.output.compact, publicJwk(example.input.key), {
      algorithms: [example.input.alg],
    });

    expect(payload.toString('utf8')).toBe(example.input.payload);
    expect(protectedHeader).toEqual(example.signing.protected);
    ran += 1;
  });

  it.each(examples.map((example) => [example.title, example] as const))('rejects %s when its algorithm is not allowed', async (_title, example) => {
    const others = JWT_ALGORITHMS.filter((algorithm) => algorithm !== example.input.alg);

    await expect(rejectionCode(verifyJws(example.output.compact, publicJwk(example.input.key), { algorithms: others }))).resolves.toBe(
      'ERR_JWT_ALGORITHM_NOT_ALLOWED',
    );
    ran += 1;
  });

  it.each(examples.map((example) => [example.title, example] as const))('rejects %s with one signature byte changed', async (_title, example) => {
    const { compact } = example.output;
    const index = compact.lastIndexOf('.') + 5;
    const tampered = compact.slice(0, index) + (compact[index] === 'A' ? 'B' : 'A') + compact.slice(index + 1);

    await expect(rejectionCode(verifyJws(tampered, publicJwk(example.input.key), { algorithms: [example.input.alg] }))).resolves.toBe(
      'ERR_JWT_SIGNATURE_INVALID',
    );
    ran += 1;
  });

  it.each(examples.filter((example) => example.reproducible === true).map((example) => [example.title, example] as const))(
    'reproduces the signature of %s',
    (_title, example) => {
      const key = example.input.key;
      const signingKey = key.kty === 'oct' ? createSecretKey(Buffer.from(key.k as string, 'base64url')) : createPrivateKey({ key, format: 'jwk' });
      const sign = createSignatureSigner(example.input.alg, signingKey);

      expect(sign(Buffer.from(example.signing['sig-input'], 'latin1')).toString('base64url')).toBe(example.signing.sig);
      ran += 1;
    },
  );

  it('ran every case', () => {
    console.log(`RFC 7520 signing examples: ${examples.length} vectors, ${ran} checks`);
    expect(ran).toBe(examples.length * 3 + examples.filter((example) => example.reproducible === true).length);
  });
});
