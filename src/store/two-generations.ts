/**
 * A map kept in two generations of at most `size` entries each: when the newer one is full it
 * becomes the older and the older one is dropped, so what is remembered stays flat however long a
 * run is, and an entry set again is kept in the newer one. (Evicting a Map's oldest entry one at
 * a time makes its iterator skip the deleted slots: that cost more than the inserts it saves.)
 */
export class TwoGenerations<K, V> {
  private recent = new Map<K, V>();
  private older = new Map<K, V>();

  constructor(private readonly size: number) {}

  /** The value in the newer generation only. */
  newer(key: K): V | undefined {
    return this.recent.get(key);
  }

  /** The value in either generation, the newer first. */
  get(key: K): V | undefined {
    return this.recent.get(key) ?? this.older.get(key);
  }

  /** Sets `key` in the newer generation, which becomes the older first if it is full. */
  set(key: K, value: V): void {
    if (this.recent.size >= this.size) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(key, value);
  }

  /** Forgets both generations. */
  clear(): void {
    this.recent = new Map();
    this.older = new Map();
  }
}
