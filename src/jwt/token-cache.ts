import { createHash } from 'node:crypto';

import type { JwtPayload, VerifiedJwt } from './types.js';

interface CacheEntry<P extends JwtPayload> {
  readonly result: VerifiedJwt<P>;
  /** When the entry stops being served, in milliseconds since the epoch. */
  readonly expiresAtMs: number;
}

/**
 * A bounded cache of fully verified tokens, keyed by the SHA-256 of the whole token so that the
 * token itself is not kept. The least recently used entry goes first when the cache is full, and
 * an entry is never served at or after the token's `exp`.
 */
export class VerifiedTokenCache<P extends JwtPayload> {
  readonly #entries = new Map<string, CacheEntry<P>>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** Computes the cache key of a token. */
  static keyOf(token: string): string {
    return createHash('sha256').update(token).digest('base64');
  }

  /** Returns the cached result for a key, or `undefined` when there is none or it has expired. */
  get(key: string, nowMs: number): VerifiedJwt<P> | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      return undefined;
    }

    this.#entries.delete(key);
    if (nowMs >= entry.expiresAtMs) {
      return undefined;
    }

    // Reinserting moves the entry to the end of the Map's insertion order: the most recently used.
    this.#entries.set(key, entry);
    return entry.result;
  }

  /** Stores a verified result until `expiresAtMs`, evicting the least recently used entry when full. */
  set(key: string, result: VerifiedJwt<P>, expiresAtMs: number): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { result, expiresAtMs });
  }

  /** The number of entries, expired ones included until they are read or evicted. */
  get size(): number {
    return this.#entries.size;
  }
}
