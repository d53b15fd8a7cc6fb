import { describe, expect, it } from 'vitest';

import { createMemoryDenylist } from '../../src/revocation/index.js';
import { isBulwarkError } from '../../src/errors.js';

// A frozen clock: 2026-01-01T00:00:00Z, moved by hand.
const START_MS = Date.UTC(2026, 0, 1);
const START_SECONDS = START_MS / 1000;

function clock() {
  let time = START_MS;
  return { now: () => time, advanceSeconds: (seconds: number) => (time += seconds * 1000) };
}

describe('createMemoryDenylist', () => {
  it('reports a revoked token until its exp plus the retention', async () => {
    const time = clock();
    const denylist = createMemoryDenylist({ now: time.now, retainSeconds: 30 });

    await denylist.revokeToken('token-1', START_SECONDS + 60);
    expect(await denylist.isRevoked('token-1')).toBe(true);
    expect(await denylist.isRevoked('token-2')).toBe(false);

    time.advanceSeconds(89);
    expect(await denylist.isRevoked('token-1')).toBe(true);

    time.advanceSeconds(1);
    expect(await denylist.isRevoked('token-1')).toBe(false);
    expect(denylist.size).toBe(0);
  });

  it('outlives exp by 300 seconds (clock tolerance replay)', async () => {
    const time = clock();
    const denylist = createMemoryDenylist({ now: time.now });

    await denylist.revokeToken('token-1', START_SECONDS + 10);
    time.advanceSeconds(10 + 299);
    expect(await denylist.isRevoked('token-1')).toBe(true);
  });

  it('stores nothing for a token already past its retention', async () => {
    const denylist = createMemoryDenylist({ now: clock().now, retainSeconds: 0 });

    await denylist.revokeToken('old', START_SECONDS - 1);
    expect(denylist.size).toBe(0);
    expect(await denylist.isRevoked('old')).toBe(false);
  });

  it('keeps the later expiry when a token is revoked twice', async () => {
    const time = clock();
    const denylist = createMemoryDenylist({ now: time.now, retainSeconds: 0 });

    await denylist.revokeToken('token-1', START_SECONDS + 100);
    await denylist.revokeToken('token-1', START_SECONDS + 10);
    time.advanceSeconds(50);
    expect(await denylist.isRevoked('token-1')).toBe(true);
  });

  it('sweeps expired entries when full', async () => {
    const time = clock();
    const denylist = createMemoryDenylist({ now: time.now, maxEntries: 2, retainSeconds: 0 });

    await denylist.revokeToken('a', START_SECONDS + 10);
    await denylist.revokeToken('b', START_SECONDS + 10);
    time.advanceSeconds(11);
    await denylist.revokeToken('c', START_SECONDS + 100);

    expect(denylist.size).toBe(1);
    expect(await denylist.isRevoked('c')).toBe(true);
  });

  it('refuses to evict a live entry when full (revocation flooding)', async () => {
    const denylist = createMemoryDenylist({ now: clock().now, maxEntries: 2 });

    await denylist.revokeToken('a', START_SECONDS + 100);
    await denylist.revokeToken('b', START_SECONDS + 100);
    await expect(denylist.revokeToken('c', START_SECONDS + 100)).rejects.toMatchObject({ code: 'ERR_DENYLIST_FULL' });

    expect(await denylist.isRevoked('a')).toBe(true);
    expect(await denylist.isRevoked('b')).toBe(true);
  });

  it('does not match inherited property names', async () => {
    const denylist = createMemoryDenylist({ now: clock().now });
    expect(await denylist.isRevoked('__proto__')).toBe(false);
    expect(await denylist.isRevoked('constructor')).toBe(false);
  });

  it.each([
    ['an empty jti', '', START_SECONDS],
    ['a jti over 1024 characters', 'x'.repeat(1025), START_SECONDS],
    ['a non-string jti', 42, START_SECONDS],
    ['a non-number exp', 'a', '2026'],
    ['an infinite exp', 'a', Infinity],
  ])('rejects %s', async (_name, jti, exp) => {
    const denylist = createMemoryDenylist();
    await expect(denylist.revokeToken(jti as string, exp as number)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it.each([
    ['maxEntries', { maxEntries: 0 }],
    ['maxEntries', { maxEntries: 1.5 }],
    ['retainSeconds', { retainSeconds: -1 }],
    ['now', { now: 'yesterday' }],
  ])('rejects an invalid %s option', (option, options) => {
    let thrown: unknown;
    try {
      createMemoryDenylist(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(isBulwarkError(thrown, 'ERR_OPTION_INVALID')).toBe(true);
    expect((thrown as { details: { option: string } }).details.option).toBe(option);
  });
});
