import { BulwarkError } from '../../src/errors.js';

/**
 * Brute-force limits of a login route, following the OWASP Authentication Cheat Sheet ("Protect
 * Against Automated Attacks") and OWASP ASVS 5.0, V6.3.1. A few consecutive failures lock one
 * username from one address for a while. A daily budget per address slows credential stuffing
 * across many usernames, and no address can lock an account for every other address.
 *
 * @example
 * ```ts
 * authenticate({ findUser, limits: { maxConsecutiveFailures: 10, consecutiveFailureWindowSeconds: 3600 } });
 * ```
 */
export interface LoginLimits {
  /** Failed logins in a row allowed per username and IP address. Defaults to 5. */
  readonly maxConsecutiveFailures?: number;
  /** Lifetime of the username and IP counter from its first failure, in seconds. Defaults to 900 (15 minutes). */
  readonly consecutiveFailureWindowSeconds?: number;
  /** Failed logins allowed per IP address in its window, across all usernames. Defaults to 100. */
  readonly maxFailuresPerIp?: number;
  /** Lifetime of the per-IP counter from its first failure, in seconds. Defaults to 86,400 (one day). */
  readonly ipFailureWindowSeconds?: number;
  /** Whether usernames that differ only in case share one counter. Defaults to true. */
  readonly caseInsensitiveUsernames?: boolean;
}

/**
 * The part of an `ioredis` client that the limiter needs: an ioredis `Redis` or `Cluster` instance.
 *
 * @example
 * ```ts
 * const redis: RedisClientLike = new Redis(process.env.REDIS_URL);
 * ```
 */
export interface RedisClientLike {
  readonly status: string;
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
}

/**
 * The store of the counters. Without it, they are kept in the process's memory.
 *
 * @example
 * ```ts
 * authenticate({ findUser, store: { redis: new Redis(process.env.REDIS_URL), keyPrefix: 'shop:login:' } });
 * ```
 */
export interface LoginLimiterStore {
  /** An `ioredis` client that the app created and owns; bulwark never closes it. */
  readonly redis: RedisClientLike;
  /** The key prefix in Redis. Defaults to `'bulwark:login:'`. */
  readonly keyPrefix?: string;
  /**
   * Whether logins go on, without brute-force limits, while Redis is unreachable. Defaults to false:
   * logins are rejected with 503 `ERR_SERVICE_UNAVAILABLE`, because dropping the limit silently would
   * open the route to guessing whenever an attacker can disturb Redis.
   */
  readonly allowLoginsWhenUnavailable?: boolean;
  /**
   * The time a login waits for Redis, in milliseconds, before it treats Redis as unavailable.
   * Defaults to 1,000. A client created with `enableOfflineQueue: false` fails at once instead.
   */
  readonly timeoutMilliseconds?: number;
}

/** The default wait for Redis before a login treats it as unavailable, in milliseconds. */
export const DEFAULT_STORE_TIMEOUT_MILLISECONDS = 1000;

/** Limits with every default filled in. */
export interface ResolvedLoginLimits {
  readonly maxConsecutiveFailures: number;
  readonly consecutiveFailureWindowSeconds: number;
  readonly maxFailuresPerIp: number;
  readonly ipFailureWindowSeconds: number;
  readonly caseInsensitiveUsernames: boolean;
}

/**
 * The default limits.
 *
 * @example
 * ```ts
 * authenticate({ findUser, limits: { maxFailuresPerIp: 10 * DEFAULT_LOGIN_LIMITS.maxFailuresPerIp } });
 * ```
 */
export const DEFAULT_LOGIN_LIMITS: ResolvedLoginLimits = Object.freeze({
  maxConsecutiveFailures: 5,
  consecutiveFailureWindowSeconds: 900,
  maxFailuresPerIp: 100,
  ipFailureWindowSeconds: 86_400,
  caseInsensitiveUsernames: true,
});

const MAX_COUNT = 1_000_000;
const MAX_WINDOW_SECONDS = 30 * 86_400;

/** Checks the limits and fills in the defaults; throws `ERR_OPTION_INVALID` naming the option. */
export function resolveLoginLimits(limits: LoginLimits | undefined): ResolvedLoginLimits {
  if (limits !== undefined && (typeof limits !== 'object' || limits === null)) {
    throw new BulwarkError('ERR_OPTION_INVALID', 'limits must be an object such as { maxConsecutiveFailures: 5 }.', { option: 'limits' });
  }

  const caseInsensitiveUsernames = limits?.caseInsensitiveUsernames ?? DEFAULT_LOGIN_LIMITS.caseInsensitiveUsernames;
  if (typeof caseInsensitiveUsernames !== 'boolean') {
    throw new BulwarkError('ERR_OPTION_INVALID', 'limits.caseInsensitiveUsernames must be a boolean.', { option: 'limits.caseInsensitiveUsernames' });
  }

  return Object.freeze({
    maxConsecutiveFailures: integerIn(limits?.maxConsecutiveFailures, DEFAULT_LOGIN_LIMITS.maxConsecutiveFailures, MAX_COUNT, 'maxConsecutiveFailures'),
    consecutiveFailureWindowSeconds: integerIn(limits?.consecutiveFailureWindowSeconds, DEFAULT_LOGIN_LIMITS.consecutiveFailureWindowSeconds, MAX_WINDOW_SECONDS, 'consecutiveFailureWindowSeconds'),
    maxFailuresPerIp: integerIn(limits?.maxFailuresPerIp, DEFAULT_LOGIN_LIMITS.maxFailuresPerIp, MAX_COUNT, 'maxFailuresPerIp'),
    ipFailureWindowSeconds: integerIn(limits?.ipFailureWindowSeconds, DEFAULT_LOGIN_LIMITS.ipFailureWindowSeconds, MAX_WINDOW_SECONDS, 'ipFailureWindowSeconds'),
    caseInsensitiveUsernames,
  });
}

/** Checks the store option; throws `ERR_OPTION_INVALID` naming the field. */
export function assertLoginLimiterStore(store: LoginLimiterStore | undefined): void {
  if (store === undefined) {
    return;
  }
  if (typeof store !== 'object' || store === null || typeof store.redis?.defineCommand !== 'function' || typeof store.redis.status !== 'string') {
    throw new BulwarkError('ERR_OPTION_INVALID', 'store.redis must be an ioredis client, such as new Redis(url).', { option: 'store.redis' });
  }
  if (store.keyPrefix !== undefined && (typeof store.keyPrefix !== 'string' || store.keyPrefix.length === 0)) {
    throw new BulwarkError('ERR_OPTION_INVALID', 'store.keyPrefix must be a non-empty string.', { option: 'store.keyPrefix' });
  }
  if (store.allowLoginsWhenUnavailable !== undefined && typeof store.allowLoginsWhenUnavailable !== 'boolean') {
    throw new BulwarkError('ERR_OPTION_INVALID', 'store.allowLoginsWhenUnavailable must be a boolean.', { option: 'store.allowLoginsWhenUnavailable' });
  }
  const timeout = store.timeoutMilliseconds;
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 10 || timeout > 60_000)) {
    throw new BulwarkError('ERR_OPTION_INVALID', 'store.timeoutMilliseconds must be an integer from 10 to 60000.', { option: 'store.timeoutMilliseconds' });
  }
}

function integerIn(value: unknown, fallback: number, max: number, name: string): number {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new BulwarkError('ERR_OPTION_INVALID', `limits.${name} must be an integer from 1 to ${max}.`, { option: `limits.${name}` });
  }
  return value;
}
