import { describe, expect, it } from 'vitest';

import { createJwtVerifier, DEFAULT_CLOCK_TOLERANCE_SECONDS, signJwt, type JwtVerifierOptions } from 'bulwark/core';

import { hmacSecret } from './keys.js';

const NOW_MS = Date.UTC(2030, 5, 1, 12, 0, 0);
const NOW = NOW_MS / 1000;
const clock = () => NOW_MS;

/** Signs claims exactly as given, with iat at the frozen clock unless the claims set it. */
function token(claims: Record<string, unknown>, typ?: string): Promise<string> {
  return signJwt(claims, hmacSecret, { now: clock, ...(typ === undefined ? {} : { typ }) });
}

async function outcome(claims: Record<string, unknown>, options: Partial<JwtVerifierOptions> = {}, typ?: string) {
  const verify = createJwtVerifier({ key: hmacSecret, now: clock, ...options });
  try {
    await verify(await token(claims, typ));
    return { code: 'accepted' };
  } catch (error) {
    const { code, details, message } = error as { code: string; details: Record<string, unknown>; message: string };
    return { code, claim: details.claim, reason: details.reason, message };
  }
}

describe('expiration', () => {
  it('requires exp by default', async () => {
    await expect(outcome({})).resolves.toMatchObject({ code: 'ERR_JWT_CLAIM_MISSING', claim: 'exp' });
  });

  it('accepts a token without exp when requireExpiration is false', async () => {
    await expect(outcome({}, { requireExpiration: false })).resolves.toEqual({ code: 'accepted' });
  });

  it('replays of an expired token are rejected', async () => {
    await expect(outcome({ exp: NOW - 3600 })).resolves.toMatchObject({ code: 'ERR_JWT_EXPIRED', claim: 'exp' });
  });

  it('accepts exp within the default clock tolerance', async () => {
    await expect(outcome({ exp: NOW - DEFAULT_CLOCK_TOLERANCE_SECONDS + 1 })).resolves.toEqual({ code: 'accepted' });
  });

  it('rejects exp exactly at the edge of the tolerance', async () => {
    await expect(outcome({ exp: NOW - DEFAULT_CLOCK_TOLERANCE_SECONDS })).resolves.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });

  it('applies a clock tolerance given as a duration string', async () => {
    await expect(outcome({ exp: NOW - 100 }, { clockTolerance: '2m' })).resolves.toEqual({ code: 'accepted' });
    await expect(outcome({ exp: NOW - 1 }, { clockTolerance: 0 })).resolves.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });

  it.each([
    ['a string', '1900000000'],
    ['an object', { value: 1 }],
    ['a list', [1]],
  ])('rejects exp given as %s', async (_name, exp) => {
    await expect(outcome({ exp })).resolves.toMatchObject({ code: 'ERR_JWT_CLAIM_INVALID', claim: 'exp' });
  });
});

describe('not before and issued at', () => {
  it('rejects a token used before nbf', async () => {
    await expect(outcome({ exp: NOW + 600, nbf: NOW + 120 })).resolves.toMatchObject({ code: 'ERR_JWT_NOT_YET_VALID', claim: 'nbf' });
  });

  it('accepts nbf within the tolerance', async () => {
    await expect(outcome({ exp: NOW + 600, nbf: NOW + 20 })).resolves.toEqual({ code: 'accepted' });
  });

  it('rejects a token issued in the future', async () => {
    await expect(outcome({ exp: NOW + 600, iat: NOW + 3600 })).resolves.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'iat',
      reason: 'in_the_future',
    });
  });

  it('rejects a token older than maxTokenAge', async () => {
    await expect(outcome({ exp: NOW + 600, iat: NOW - 7200 }, { maxTokenAge: '1h' })).resolves.toMatchObject({
      code: 'ERR_JWT_EXPIRED',
      claim: 'iat',
      reason: 'too_old',
    });
    await expect(outcome({ exp: NOW + 600, iat: NOW - 1800 }, { maxTokenAge: 3600 })).resolves.toEqual({ code: 'accepted' });
  });

  it('requires iat when maxTokenAge is set', async () => {
    const verify = createJwtVerifier({ key: hmacSecret, now: clock, maxTokenAge: '1h' });
    const withoutIat = await signJwt({ exp: NOW + 600, iat: undefined }, hmacSecret, { now: clock });

    await expect(verify(withoutIat)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_MISSING', details: { claim: 'iat' } });
  });
});

describe('issuer and audience', () => {
  const base = { exp: NOW + 600 };

  it('accepts an issuer from a list', async () => {
    await expect(outcome({ ...base, iss: 'https://b.example/' }, { issuer: ['https://a.example/', 'https://b.example/'] })).resolves.toEqual({
      code: 'accepted',
    });
  });

  it('tokens from another issuer are rejected', async () => {
    await expect(outcome({ ...base, iss: 'https://evil.example/' }, { issuer: 'https://a.example/' })).resolves.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'iss',
    });
  });

  it('requires iss when an issuer is configured', async () => {
    await expect(outcome(base, { issuer: 'https://a.example/' })).resolves.toMatchObject({ code: 'ERR_JWT_CLAIM_MISSING', claim: 'iss' });
  });

  it('an iss list that contains the issuer is still rejected', async () => {
    await expect(outcome({ ...base, iss: ['https://a.example/'] }, { issuer: 'https://a.example/' })).resolves.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'iss',
      reason: 'not_a_string',
    });
  });

  it('accepts an aud list that contains the audience', async () => {
    await expect(outcome({ ...base, aud: ['https://other.example/', 'https://api.example/'] }, { audience: 'https://api.example/' })).resolves.toEqual({
      code: 'accepted',
    });
  });

  it('tokens for another audience are rejected', async () => {
    await expect(outcome({ ...base, aud: 'https://other.example/' }, { audience: ['https://api.example/'] })).resolves.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'aud',
    });
  });

  it('rejects an aud that is neither a string nor a list of strings', async () => {
    await expect(outcome({ ...base, aud: ['https://api.example/', 7] }, { audience: 'https://api.example/' })).resolves.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'aud',
    });
  });

  it('reports the wrong audience of an expired token as invalid, not expired', async () => {
    await expect(outcome({ exp: NOW - 3600, aud: 'https://other.example/' }, { audience: 'https://api.example/' })).resolves.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'aud',
    });
  });

  it.each(['sub', 'jti'])('rejects a %s that is not a string', async (claim) => {
    await expect(outcome({ ...base, [claim]: 42 })).resolves.toMatchObject({ code: 'ERR_JWT_CLAIM_INVALID', claim, reason: 'not_a_string' });
  });
});

describe('required claims and typ', () => {
  it('rejects a token without a required claim', async () => {
    await expect(outcome({ exp: NOW + 600 }, { requiredClaims: ['tenant'] })).resolves.toMatchObject({
      code: 'ERR_JWT_CLAIM_MISSING',
      claim: 'tenant',
    });
    await expect(outcome({ exp: NOW + 600, tenant: 't1' }, { requiredClaims: ['tenant'] })).resolves.toEqual({ code: 'accepted' });
  });

  it.each([
    ['at+jwt', 'at+jwt'],
    ['AT+JWT', 'application/at+jwt'],
    ['application/at+jwt', 'at+JWT'],
  ])('matches typ %s against the expected %s', async (typ, expected) => {
    await expect(outcome({ exp: NOW + 600 }, { typ: expected }, typ)).resolves.toEqual({ code: 'accepted' });
  });

  it('an ID token is not accepted where an access token is expected', async () => {
    await expect(outcome({ exp: NOW + 600 }, { typ: 'at+jwt' }, 'JWT')).resolves.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'typ',
    });
  });
});

describe('checkClaims', () => {
  it('rejects when the check returns false', async () => {
    await expect(outcome({ exp: NOW + 600, role: 'guest' }, { checkClaims: (payload) => payload.role === 'admin' })).resolves.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      reason: 'check_failed',
    });
  });

  it('accepts when an async check resolves to true', async () => {
    await expect(outcome({ exp: NOW + 600, role: 'admin' }, { checkClaims: async (payload) => payload.role === 'admin' })).resolves.toEqual({
      code: 'accepted',
    });
  });
});

describe('error messages', () => {
  it('never contain the token or a claim value', async () => {
    const secretIssuer = 'https://issuer-value-7f3a.example/';
    const cases = [
      outcome({ exp: NOW - 3600, iss: secretIssuer }),
      outcome({ exp: NOW + 600, iss: secretIssuer }, { issuer: 'https://a.example/' }),
      outcome({ exp: NOW + 600, aud: secretIssuer }, { audience: 'https://a.example/' }),
      outcome({ exp: NOW + 600, iss: secretIssuer }, { typ: 'at+jwt' }),
    ];
    for (const result of await Promise.all(cases)) {
      expect(result.code).not.toBe('accepted');
      expect(result.message).not.toContain('issuer-value-7f3a');
      expect(result.message).not.toContain('eyJ');
    }
  });
});
