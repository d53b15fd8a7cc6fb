import { describe, expect, it } from 'vitest';

import { createJwtVerifier, signJwt, type JwtPayload } from 'bulwark/core';

import { hmacSecret, rejectionCode } from './keys.js';

const START_MS = Date.UTC(2030, 0, 1);

/** Creates a verifier with a movable clock that counts checkClaims calls, which run only on a full verification. */
function countingVerifier(cache: boolean | { maxEntries: number }, check: (payload: JwtPayload) => boolean = () => true) {
  const state = { nowMs: START_MS, fullVerifications: 0 };
  const verify = createJwtVerifier({
    key: hmacSecret,
    cache,
    now: () => state.nowMs,
    checkClaims: (payload) => {
      state.fullVerifications += 1;
      return check(payload);
    },
  });
  return { state, verify };
}

const sign = (claims: JwtPayload, expiresIn = 600) => signJwt(claims, hmacSecret, { expiresIn, now: () => START_MS });

describe('verified-token cache', () => {
  it('is off by default', async () => {
    const { state, verify } = countingVerifier(false);
    const token = await sign({});

    await verify(token);
    await verify(token);
    expect(state.fullVerifications).toBe(2);
  });

  it('serves a repeated token from the cache', async () => {
    const { state, verify } = countingVerifier(true);
    const token = await sign({ sub: 'u1' });

    const first = await verify(token);
    const second = await verify(token);

    expect(state.fullVerifications).toBe(1);
    expect(second).toBe(first);
    expect(Object.isFrozen(second.payload)).toBe(true);
  });

  it('never serves an entry at or after exp', async () => {
    const { state, verify } = countingVerifier(true);
    const token = await sign({}, 60);

    await verify(token);
    state.nowMs = START_MS + 59_000;
    await verify(token);
    expect(state.fullVerifications).toBe(1);

    // At exp the entry is dropped; the full verification that follows still applies the clock tolerance.
    state.nowMs = START_MS + 60_000;
    await verify(token);
    expect(state.fullVerifications).toBe(2);

    state.nowMs = START_MS + 60_000 + 31_000;
    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_EXPIRED');
  });

  it('a rejected token is never cached', async () => {
    const { state, verify } = countingVerifier(true, (payload) => payload.role === 'admin');
    const token = await sign({ role: 'guest' });

    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_CLAIM_INVALID');
    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_CLAIM_INVALID');
    expect(state.fullVerifications).toBe(2);
  });

  it('a forged twin of a cached token is verified in full', async () => {
    const { state, verify } = countingVerifier(true);
    const token = await sign({ sub: 'u1' });
    await verify(token);

    const forged = `${token.slice(0, -4)}AAAA`;
    await expect(rejectionCode(verify(forged))).resolves.toBe('ERR_JWT_SIGNATURE_INVALID');
    expect(state.fullVerifications).toBe(1);
  });

  it('evicts the least recently used entry when full', async () => {
    const { state, verify } = countingVerifier({ maxEntries: 2 });
    const [a, b, c] = await Promise.all([sign({ n: 'a' }), sign({ n: 'b' }), sign({ n: 'c' })]) as [string, string, string];

    await verify(a);
    await verify(b);
    await verify(a);
    await verify(c);
    expect(state.fullVerifications).toBe(3);

    await verify(a);
    expect(state.fullVerifications).toBe(3);

    await verify(b);
    expect(state.fullVerifications).toBe(4);
  });

  it('still rejects an oversized token before hashing it', async () => {
    const { verify } = countingVerifier(true);
    await expect(rejectionCode(verify('a'.repeat(10_000)))).resolves.toBe('ERR_JWT_TOO_LARGE');
  });
});
