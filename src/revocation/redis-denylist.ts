import { BulwarkError } from '../errors.js';
import {
  assertExp,
  assertJti,
  checkRetainSeconds,
  type DenylistLogger,
  type TokenDenylist,
} from './denylist.js';

/**
 * The part of an `ioredis` client (version 5 or later) that the Redis denylist calls. Pass the
 * app's own client; the denylist never connects, quits or configures it.
 */
export interface RedisDenylistClient {
  set(key: string, value: string, expiryToken: 'EXAT', unixTimeSeconds: number): Promise<unknown>;
  set(key: string, value: string, expiryToken: 'PX', milliseconds: number): Promise<unknown>;
  exists(key: string): Promise<number>;
}

/** The action of {@link createRedisDenylist} when a revocation check fails or times out. */
export type RedisUnavailablePolicy = 'reject' | 'allow';

/** Options of {@link createRedisDenylist}. */
export interface RedisDenylistOptions {
  /** The app's `ioredis` client. Required. */
  readonly client: RedisDenylistClient;
  /** Prepended to every key. Default `'bulwark:denylist:'`; give each app or environment its own. */
  readonly keyPrefix?: string;
  /**
   * The form of a key's expiry. `'exat'` (the default) sends the absolute time `SET ... EXAT`
   * (Redis 6.2 or later), so every instance agrees on it; `'px'` sends the remaining milliseconds
   * by this process's clock (`SET ... PX`), for older servers.
   */
  readonly expiry?: 'exat' | 'px';
  /** Seconds that an entry outlives the token's `exp`. Default 300 (see {@link DEFAULT_RETAIN_SECONDS}). */
  readonly retainSeconds?: number;
  /** How long a command may take before Redis counts as unavailable, in milliseconds. Default 1000. */
  readonly timeoutMs?: number;
  /**
   * The action of a revocation check when Redis fails or times out. `'reject'` (the default)
   * throws `ERR_SERVICE_UNAVAILABLE`, which `requireJwt` turns into a 503, so a revoked token cannot
   * pass while Redis is down. `'allow'` treats the token as not revoked and logs a warning: choose
   * it only when availability matters more than revocation. `revokeToken` always throws on failure.
   */
  readonly onUnavailable?: RedisUnavailablePolicy;
  /** Receives a warning for each check let through by `onUnavailable: 'allow'`. */
  readonly logger?: DenylistLogger;
  /** The clock for `expiry: 'px'`, in milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number;
}

/** The default `keyPrefix` of {@link createRedisDenylist}. */
export const DEFAULT_DENYLIST_KEY_PREFIX = 'bulwark:denylist:';

/** The default `timeoutMs` of {@link createRedisDenylist}. */
export const DEFAULT_REDIS_TIMEOUT_MS = 1000;

/**
 * Creates a token denylist in Redis, shared by every process and machine of an app: a token
 * revoked through one instance is rejected by all. Each revoked `jti` is one key that Redis
 * expires at the token's `exp` plus `retainSeconds`, so the store needs no cleanup.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 *
 * const denylist = createRedisDenylist({ client: new Redis(process.env.REDIS_URL), keyPrefix: 'shop:revoked:' });
 * app.use('/api', requireJwt({ key, issuer, audience, denylist }));
 * ```
 */
export function createRedisDenylist(options: RedisDenylistOptions): TokenDenylist {
  const settings = checkOptions(options);

  // NOTE: a timeout stops the wait, not the command. ioredis may still send a queued SET once the
  // connection recovers, so a revokeToken that threw on timeout can take effect later.
  const withTimeout = <T>(command: Promise<T>): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('Redis command timed out')), settings.timeoutMs);
    });
    return Promise.race([command, timeout]).finally(() => clearTimeout(timer));
  };

  return {
    retainSeconds: settings.retainSeconds,

    async revokeToken(jti, exp) {
      assertJti(jti);
      assertExp(exp);

      const key = settings.keyPrefix + jti;
      const expiresAtSeconds = Math.ceil(exp) + settings.retainSeconds;
      const remainingMilliseconds = expiresAtSeconds * 1000 - settings.now();
      if (remainingMilliseconds <= 0) {
        return;
      }

      try {
        await withTimeout(
          settings.expiry === 'exat'
            ? settings.client.set(key, '1', 'EXAT', expiresAtSeconds)
            : settings.client.set(key, '1', 'PX', remainingMilliseconds),
        );
      } catch {
        throw unavailable();
      }
    },

    async isRevoked(jti) {
      assertJti(jti);

      try {
        return (await withTimeout(settings.client.exists(settings.keyPrefix + jti))) > 0;
      } catch {
        if (settings.onUnavailable === 'reject') {
          throw unavailable();
        }
        settings.logger?.warn(
          { event: 'denylist.unavailable', reason: 'ERR_SERVICE_UNAVAILABLE', policy: 'allow' },
          'token denylist unavailable; revocation check skipped',
        );
        return false;
      }
    },
  };
}

function unavailable(): BulwarkError {
  return new BulwarkError('ERR_SERVICE_UNAVAILABLE', 'The token denylist is unavailable.', {
    store: 'redis',
  });
}

type CheckedOptions = Required<Omit<RedisDenylistOptions, 'logger'>> & Pick<RedisDenylistOptions, 'logger'>;

function checkOptions(options: RedisDenylistOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalid('options', 'createRedisDenylist needs an options object with an ioredis client.');
  }

  const { client } = options;
  if (typeof client?.set !== 'function' || typeof client?.exists !== 'function') {
    throw invalid('client', 'client must be an ioredis client (new Redis(url)).');
  }

  const keyPrefix = options.keyPrefix ?? DEFAULT_DENYLIST_KEY_PREFIX;
  if (typeof keyPrefix !== 'string' || keyPrefix === '') {
    throw invalid('keyPrefix', 'keyPrefix must be a non-empty string, such as "myapp:revoked:".');
  }

  const expiry = options.expiry ?? 'exat';
  if (expiry !== 'exat' && expiry !== 'px') {
    throw invalid('expiry', 'expiry must be "exat" (Redis 6.2 or later) or "px".');
  }

  const timeoutMs = options.timeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
    throw invalid('timeoutMs', 'timeoutMs must be a whole number of milliseconds, 1 or more.');
  }

  const onUnavailable = options.onUnavailable ?? 'reject';
  if (onUnavailable !== 'reject' && onUnavailable !== 'allow') {
    throw invalid('onUnavailable', 'onUnavailable must be "reject" or "allow".');
  }

  if (options.logger !== undefined && typeof options.logger?.warn !== 'function') {
    throw invalid('logger', 'logger must have a warn method, as pino and console do.');
  }

  if (options.now !== undefined && typeof options.now !== 'function') {
    throw invalid('now', 'now must be a function that returns milliseconds since the epoch.');
  }

  return {
    client,
    keyPrefix,
    expiry,
    retainSeconds: checkRetainSeconds(options.retainSeconds),
    timeoutMs,
    onUnavailable,
    logger: options.logger,
    now: options.now ?? Date.now,
  };
}

function invalid(option: string, message: string): BulwarkError {
  return new BulwarkError('ERR_OPTION_INVALID', message, { option });
}
