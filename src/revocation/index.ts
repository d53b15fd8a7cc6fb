// The token denylist: revoked token ids in memory or in Redis, checked by requireJwt.
export {
  DEFAULT_RETAIN_SECONDS,
  MAX_JTI_LENGTH,
  isValidJti,
  type DenylistLogger,
  type TokenDenylist,
} from './denylist.js';
export {
  DEFAULT_MAX_DENYLIST_ENTRIES,
  createMemoryDenylist,
  type MemoryDenylist,
  type MemoryDenylistOptions,
} from './memory-denylist.js';
export {
  DEFAULT_DENYLIST_KEY_PREFIX,
  DEFAULT_REDIS_TIMEOUT_MS,
  createRedisDenylist,
  type RedisDenylistClient,
  type RedisDenylistOptions,
  type RedisUnavailablePolicy,
} from './redis-denylist.js';
