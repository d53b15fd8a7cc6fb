import type { Redis } from 'ioredis';

import { createMemoryDenylist, createRedisDenylist, type TokenDenylist } from 'bulwark/core';

import type { Logger } from 'bulwark';

/**
 * Creates the token denylist that `requireJwt` checks and `POST /logout` adds to: in Redis when the
 * app has a connection, so every instance rejects a token revoked through any of them, and in this
 * process's memory otherwise.
 */
export function createDenylist(redis: Redis | undefined, keyPrefix: string, logger: Logger): TokenDenylist {
  if (redis) {
    // While Redis is unavailable, a token check fails with 503 instead of letting a possibly revoked
    // token through unchecked. This is the store's default, written out here.
    return createRedisDenylist({ client: redis, keyPrefix, onUnavailable: 'reject', logger });
  }
  return createMemoryDenylist();
}

export type { TokenDenylist as Denylist };
