import { createHash } from 'node:crypto';

import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

import { addressKey } from './login-limiter-address.js';
import { DEFAULT_STORE_TIMEOUT_MILLISECONDS, type LoginLimiterStore, type ResolvedLoginLimits } from './login-limiter-options.js';

/** The end of a reserved attempt: the password matched, did not match, or was never checked. */
export type AttemptResult = 'success' | 'failure' | 'error';

/** The result of reserving a login attempt. */
export type Reservation =
  | { readonly kind: 'allowed'; release(result: AttemptResult): Promise<void> }
  | { readonly kind: 'blocked'; readonly limit: 'username_ip' | 'ip'; readonly retryAfterSeconds: number }
  | { readonly kind: 'store_unavailable'; readonly error: unknown };

/** Counts failed logins per username and IP address and per IP address. */
export interface LoginLimiter {
  /**
   * Reserves one attempt for this username and address before the password is checked, so that
   * concurrent guesses cannot all slip in under the limit. After a success, `release` clears the
   * username+IP counter and returns the address's point. After a failure it keeps both. After an
   * error before the password was checked (such as a failing user store) it returns both points.
   */
  reserve(username: string, ip: string | undefined): Promise<Reservation>;
}

const DEFAULT_PREFIX = 'bulwark:login:';

/**
 * Creates the limiter on `rate-limiter-flexible`: in memory, or in Redis when `store` is given.
 *
 * With `maxConsecutiveFailures` N, attempts 1 to N are checked and get their result. The attempt
 * after N failures in the window is the first one blocked, and it is blocked without checking the password.
 */
export function createLoginLimiter(limits: ResolvedLoginLimits, store: LoginLimiterStore | undefined): LoginLimiter {
  const prefix = store?.keyPrefix ?? DEFAULT_PREFIX;
  const byUsernameAndIp = createCounter(store, `${prefix}user-ip`, limits.maxConsecutiveFailures, limits.consecutiveFailureWindowSeconds);
  const byIp = createCounter(store, `${prefix}ip`, limits.maxFailuresPerIp, limits.ipFailureWindowSeconds);
  const timeoutMilliseconds = store === undefined ? undefined : (store.timeoutMilliseconds ?? DEFAULT_STORE_TIMEOUT_MILLISECONDS);
  const consume = (counter: RateLimiterAbstract, key: string) => consumeWithin(counter, key, timeoutMilliseconds);

  return {
    async reserve(username, ip) {
      const address = addressKey(ip);
      const userKey = usernameKey(username, address, limits.caseInsensitiveUsernames);

      const ipResult = await consume(byIp, address);
      if (ipResult.kind !== 'allowed') {
        return ipResult.kind === 'blocked' ? { ...ipResult, limit: 'ip' } : ipResult;
      }

      const userResult = await consume(byUsernameAndIp, userKey);
      if (userResult.kind !== 'allowed') {
        // This attempt checks no password, so it does not count against the address.
        await byIp.reward(address, 1).catch(() => undefined);
        return userResult.kind === 'blocked' ? { ...userResult, limit: 'username_ip' } : userResult;
      }

      return {
        kind: 'allowed',
        release: async (result) => {
          if (result === 'success') {
            await Promise.all([byUsernameAndIp.delete(userKey), byIp.reward(address, 1)]);
          } else if (result === 'error') {
            await Promise.all([byUsernameAndIp.reward(userKey, 1), byIp.reward(address, 1)]);
          }
        },
      };
    },
  };
}

function createCounter(store: LoginLimiterStore | undefined, keyPrefix: string, points: number, duration: number): RateLimiterAbstract {
  if (store === undefined) {
    return new RateLimiterMemory({ keyPrefix, points, duration });
  }
  // ioredis queues commands while it connects or reconnects, so a login made while the client is
  // still connecting waits for it; consumeWithin bounds that wait.
  return new RateLimiterRedis({ storeClient: store.redis, keyPrefix, points, duration });
}

type ConsumeResult = { kind: 'allowed' } | { kind: 'blocked'; retryAfterSeconds: number } | { kind: 'store_unavailable'; error: unknown };

async function consumeWithin(counter: RateLimiterAbstract, key: string, timeoutMilliseconds: number | undefined): Promise<ConsumeResult> {
  try {
    await withTimeout(counter.consume(key, 1), timeoutMilliseconds);
    return { kind: 'allowed' };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      return { kind: 'blocked', retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
    return { kind: 'store_unavailable', error: rejection };
  }
}

// The counter key is a digest of the normalised username and the address, so Redis never stores a
// username and a long username cannot make a long key. NFC (and optionally lower case) makes the
// variants of one name that a user store may treat as equal share one counter.
function usernameKey(username: string, address: string, caseInsensitive: boolean): string {
  const normalized = username.normalize('NFC');
  const folded = caseInsensitive ? normalized.toLowerCase() : normalized;
  return createHash('sha256').update(folded).update('\u0000').update(address).digest('base64url');
}

class StoreTimeoutError extends Error {
  override name = 'StoreTimeoutError';
}

// NOTE: a command that times out stays in ioredis's queue and may still count the attempt once
// Redis responds. That can only bring a lock sooner, never let a guess through.
function withTimeout<T>(operation: Promise<T>, timeoutMilliseconds: number | undefined): Promise<T> {
  if (timeoutMilliseconds === undefined) {
    return operation;
  }

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError('The login limiter store timed out.')), timeoutMilliseconds);
  });
  return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
}
