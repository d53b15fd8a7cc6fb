/**
 * A small map that forgets everything when it fills up. It keeps repeated work (parsing the same
 * JWE header or PEM key again and again) off the per-call path, while a caller that sends many
 * distinct values can never grow it past `capacity` entries.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  set(key: K, value: V): void {
    if (this.#entries.size >= this.#capacity) {
      this.#entries.clear();
    }
    this.#entries.set(key, value);
  }
}
