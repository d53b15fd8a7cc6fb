import { BulwarkError } from '../errors.js';
import { assertExp, assertJti, checkRetainSeconds, type TokenDenylist } from './denylist.js';

/** Options of {@link createMemoryDenylist}. */
export interface MemoryDenylistOptions {
  /** The maximum number of revoked tokens held at once. Default 100,000. */
  readonly maxEntries?: number;
  /** Seconds that an entry outlives the token's `exp`. Default 300 (see {@link DEFAULT_RETAIN_SECONDS}). */
  readonly retainSeconds?: number;
  /** The clock, in milliseconds since the epoch. Default `Date.now`; tests pass a frozen clock. */
  readonly now?: () => number;
}

/** A {@link TokenDenylist} held in this process's memory. */
export interface MemoryDenylist extends TokenDenylist {
  /** The number of entries held, expired ones included until they are swept. */
  readonly size: number;
}

/** The default `maxEntries` of {@link createMemoryDenylist}. */
export const DEFAULT_MAX_DENYLIST_ENTRIES = 100_000;

/**
 * Creates a token denylist in this process's memory, for an app that runs as one process. Apps on
 * several processes or machines use {@link createRedisDenylist}, so a revocation holds on all.
 *
 * An entry expires when the token does (its `exp` plus `retainSeconds`), so the store only ever
 * contains tokens that could still be accepted. It is bounded: when it is full, expired entries are
 * swept, and if it is still full `revokeToken` throws `ERR_DENYLIST_FULL` instead of evicting a
 * live entry, because evicting one would make a revoked token valid again.
 *
 * @example
 * ```ts
 * const denylist = createMemoryDenylist({ maxEntries: 10_000 });
 * app.use('/api', requireJwt({ key, issuer, audience, denylist }));
 * app.post('/logout', async (req, res) => {
 *   await denylist.revokeToken(req.auth.payload.jti, req.auth.payload.exp);
 *   res.sendStatus(204);
 * });
 * ```
 */
export function createMemoryDenylist(options: MemoryDenylistOptions = {}): MemoryDenylist {
  const maxEntries = checkMaxEntries(options.maxEntries);
  const retainSeconds = checkRetainSeconds(options.retainSeconds);
  const retainMilliseconds = retainSeconds * 1000;
  const now = checkClock(options.now);

  // jti -> the time (ms since the epoch) from which the entry no longer matters.
  const entries = new Map<string, number>();

  const sweep = (time: number): void => {
    for (const [jti, expiresAt] of entries) {
      if (expiresAt <= time) {
        entries.delete(jti);
      }
    }
  };

  return {
    retainSeconds,

    get size() {
      return entries.size;
    },

    async revokeToken(jti, exp) {
      assertJti(jti);
      assertExp(exp);

      const time = now();
      const expiresAt = exp * 1000 + retainMilliseconds;
      if (expiresAt <= time) {
        return;
      }

      const existing = entries.get(jti);
      if (existing !== undefined) {
        entries.set(jti, Math.max(existing, expiresAt));
        return;
      }

      if (entries.size >= maxEntries) {
        sweep(time);
      }
      if (entries.size >= maxEntries) {
        throw new BulwarkError(
          'ERR_DENYLIST_FULL',
          'The token denylist is full of unexpired entries; raise maxEntries or use a Redis denylist.',
          { maxEntries },
        );
      }
      entries.set(jti, expiresAt);
    },

    async isRevoked(jti) {
      assertJti(jti);

      const expiresAt = entries.get(jti);
      if (expiresAt === undefined) {
        return false;
      }

      if (expiresAt <= now()) {
        entries.delete(jti);
        return false;
      }
      return true;
    },
  };
}

function checkMaxEntries(value: unknown): number {
  if (value === undefined) {
    return DEFAULT_MAX_DENYLIST_ENTRIES;
  }

  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new BulwarkError('ERR_OPTION_INVALID', 'maxEntries must be a whole number, 1 or more.', {
      option: 'maxEntries',
    });
  }
  return value;
}

function checkClock(value: unknown): () => number {
  if (value === undefined) {
    return Date.now;
  }

  if (typeof value !== 'function') {
    throw new BulwarkError('ERR_OPTION_INVALID', 'now must be a function that returns milliseconds since the epoch.', {
      option: 'now',
    });
  }
  return value as () => number;
}
