/**
 * Values loaded on demand and kept for `ttlMs`, for reads that are the same for every
 * request for a while (another plugin's answers, a policy decision): under load, one
 * load serves every request that arrives while it runs and until it expires, instead
 * of one load per request. Per process: use it only where a value `ttlMs` old is as
 * good as a fresh one, whichever replica answers.
 */
export class ExpiringCache<K, V> {
  private readonly entries = new Map<K, { until: number; value: Promise<V> }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: {
    ttlMs: number;
    /** Oldest entries are dropped beyond this many; 1000 by default. */
    maxEntries?: number;
    /** The clock; Date.now by default. */
    now?: () => number;
  }) {
    if (!(options.ttlMs > 0)) {
      throw new Error(
        `ExpiringCache ttlMs must be positive, got ${options.ttlMs}`,
      );
    }
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /**
   * The value of `key`: the kept one while fresh (also while it is still loading),
   * else `load()`'s. A failed load is not kept: the next call tries again.
   */
  get(key: K, load: () => Promise<V>): Promise<V> {
    const now = this.now();
    const cached = this.entries.get(key);
    if (cached && cached.until > now) return cached.value;
    this.entries.delete(key);
    const value = load();
    const entry = { until: now + this.ttlMs, value };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    // Maps keep insertion order: the first keys are the oldest.
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as K);
    }
    return value;
  }

  /** Forgets every value, e.g. after this process changed what they were read from. */
  clear(): void {
    this.entries.clear();
  }
}
