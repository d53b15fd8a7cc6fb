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
    // The default policy: while Redis does not answer, a token is rejected with 503 rather than let
    // through unchecked.
    return createRedisDenylist({ client: redis, keyPrefix, onUnavailable: 'reject', logger });
  }
  return createMemoryDenylist();
}

export type { TokenDenylist as Denylist };
