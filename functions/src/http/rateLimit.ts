/**
 * Per-caller request quotas. The interface lets production swap the in-memory limiter for a shared one (Redis,
 * Firestore counters) without touching the pipeline.
 */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Spends `cost` (default one request) of `key`'s quota; nothing when the quota cannot cover it. */
  take(key: string, cost?: number): Promise<RateDecision>;
  /** What `take` would answer, spending nothing: lets the api refuse an exhausted caller before verifying its token. */
  peek?(key: string): Promise<RateDecision>;
}

export interface TokenBucketOptions {
  /** Requests a caller may make in a burst. */
  capacity: number;
  /** Sustained requests per second once the burst is spent. */
  refillPerSecond: number;
  /** Callers tracked at once; the least recently seen is forgotten first, so memory stays bounded. */
  maxKeys?: number;
  now?: () => number;
}

export interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Pure token-bucket step: the bucket after refilling to `now` and, if a whole token is there, spending it. */
export function takeToken(
  bucket: Bucket | undefined,
  now: number,
  capacity: number,
  refillPerSecond: number,
  cost = 1,
): { bucket: Bucket; decision: RateDecision } {
  const elapsedSeconds = bucket ? Math.max(0, now - bucket.updatedAt) / 1000 : 0;
  const tokens = bucket ? Math.min(capacity, bucket.tokens + elapsedSeconds * refillPerSecond) : capacity;
  if (tokens >= cost) return { bucket: { tokens: tokens - cost, updatedAt: now }, decision: { allowed: true } };
  const retryAfterSeconds = Math.max(1, Math.ceil((Math.min(cost, capacity) - tokens) / refillPerSecond));
  return { bucket: { tokens, updatedAt: now }, decision: { allowed: false, retryAfterSeconds } };
}

/**
 * A token bucket per key in this instance's memory. Each Cloud Functions instance keeps its own buckets, so the
 * effective limit across a scaled-out api is `capacity` times the instance count: good against a runaway client or
 * a stolen token hammering one instance, not a global quota.
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly refillPerSecond: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: TokenBucketOptions) {
    if (!(options.capacity >= 1) || !(options.refillPerSecond > 0) || !Number.isFinite(options.refillPerSecond)) {
      throw new RangeError("rate limiter needs capacity >= 1 and a finite refillPerSecond > 0");
    }
    this.capacity = options.capacity;
    this.refillPerSecond = options.refillPerSecond;
    this.maxKeys = Math.max(1, options.maxKeys ?? 10_000);
    this.now = options.now ?? Date.now;
  }

  take(key: string, cost = 1): Promise<RateDecision> {
    const previous = this.buckets.get(key);
    const { bucket, decision } = takeToken(previous, this.now(), this.capacity, this.refillPerSecond, cost);
    // Re-inserting moves the key to the end of the Map's order, which makes the first key the least recently seen.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
    return Promise.resolve(decision);
  }

  peek(key: string): Promise<RateDecision> {
    return Promise.resolve(takeToken(this.buckets.get(key), this.now(), this.capacity, this.refillPerSecond).decision);
  }

  /** Callers currently tracked (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }
}
