// Property tests: any input gets a BulwarkError, never a crash, and valid claims round-trip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createJwtVerifier, isBulwarkError, signJwt } from 'bulwark/core';

import { hmacSecret, p256Keys } from './keys.js';

const verifiers = [createJwtVerifier({ key: hmacSecret }), createJwtVerifier({ key: p256Keys.publicKey, cache: true })];
const base64urlChar = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ '.split(''));

async function rejectsWithBulwarkError(token: string): Promise<boolean> {
  for (const verify of verifiers) {
    try {
      await verify(token);
      return false;
    } catch (error) {
      const echoesToken = token.length >= 12 && (error as Error).message.includes(token.slice(0, 12));
      if (!isBulwarkError(error) || echoesToken) {
        return false;
      }
    }
  }
  return true;
}

describe('verifier on arbitrary input', () => {
  it('rejects arbitrary strings with a BulwarkError', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 300 }), rejectsWithBulwarkError), { numRuns: 1000 });
  });

  it('rejects arbitrary base64url-like tokens with a BulwarkError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(base64urlChar, { maxLength: 400 }).map((chars) => chars.join('')), rejectsWithBulwarkError),
      { numRuns: 1000 },
    );
  });

  it('rejects arbitrary JSON headers and payloads with a BulwarkError', async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url');
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.jsonValue(), fc.uint8Array({ minLength: 1, maxLength: 64 }), (header, payload, signature) =>
        rejectsWithBulwarkError(`${encode(header)}.${encode(payload)}.${Buffer.from(signature).toString('base64url')}`),
      ),
      { numRuns: 500 },
    );
  });
});

describe('signJwt and the verifier', () => {
  it('round-trip arbitrary private claims', async () => {
    const verify = createJwtVerifier({ key: hmacSecret });
    const claimName = fc.string({ minLength: 1, maxLength: 12 }).filter((name) => !['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', '__proto__'].includes(name));

    await fc.assert(
      fc.asyncProperty(fc.dictionary(claimName, fc.jsonValue(), { maxKeys: 8 }), async (claims) => {
        const token = await signJwt(claims, hmacSecret, { expiresIn: 60 });
        const { payload } = await verify(token);
        for (const [name, value] of Object.entries(claims)) {
          expect(payload[name]).toEqual(JSON.parse(JSON.stringify(value)));
        }
      }),
      { numRuns: 300 },
    );
  });
});
