import { strict as assert } from "node:assert";
import fc from "fast-check";
import { type Bucket, InMemoryRateLimiter, takeToken } from "../../src/http/rateLimit";

describe("rate limiting", () => {
  describe("takeToken (pure token bucket)", () => {
    it("never allows more than the burst plus what refilled over any request sequence", () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 50 }),
          fc.double({ min: 0.01, max: 20, noNaN: true }),
          fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 300 }),
          (capacity, refillPerSecond, gaps) => {
            let bucket: Bucket | undefined;
            let now = 1_000_000;
            const start = now;
            let allowed = 0;
            for (const gap of gaps) {
              now += gap;
              const step = takeToken(bucket, now, capacity, refillPerSecond);
              bucket = step.bucket;
              if (step.decision.allowed) allowed += 1;
              else assert.ok(step.decision.retryAfterSeconds >= 1 && Number.isInteger(step.decision.retryAfterSeconds));
              assert.ok(bucket.tokens >= 0 && bucket.tokens <= capacity);
            }
            assert.ok(allowed <= capacity + ((now - start) / 1000) * refillPerSecond + 1e-9);
          },
        ),
      );
    });

    it("allows the whole burst at once, then refuses with the wait until the next token", () => {
      let bucket: Bucket | undefined;
      for (let i = 0; i < 5; i++) {
        const step = takeToken(bucket, 0, 5, 0.5);
        assert.equal(step.decision.allowed, true);
        bucket = step.bucket;
      }
      const refused = takeToken(bucket, 0, 5, 0.5);
      assert.deepEqual(refused.decision, { allowed: false, retryAfterSeconds: 2 });
      assert.equal(takeToken(refused.bucket, 1_999, 5, 0.5).decision.allowed, false);
      assert.equal(takeToken(refused.bucket, 2_000, 5, 0.5).decision.allowed, true);
    });

    it("a clock that goes backwards refills nothing", () => {
      const spent = takeToken({ tokens: 0.2, updatedAt: 10_000 }, 5_000, 3, 1);
      assert.equal(spent.decision.allowed, false);
      assert.equal(spent.bucket.tokens, 0.2);
    });
  });

  describe("InMemoryRateLimiter", () => {
    it("keeps one bucket per key", async () => {
      const limiter = new InMemoryRateLimiter({ capacity: 2, refillPerSecond: 1, now: () => 0 });
      assert.equal((await limiter.take("alice")).allowed, true);
      assert.equal((await limiter.take("alice")).allowed, true);
      assert.deepEqual(await limiter.take("alice"), { allowed: false, retryAfterSeconds: 1 });
      assert.equal((await limiter.take("bob")).allowed, true);
    });

    it("forgets the least recently seen caller beyond maxKeys, so memory stays bounded", async () => {
      const limiter = new InMemoryRateLimiter({ capacity: 1, refillPerSecond: 0.001, maxKeys: 3, now: () => 0 });
      for (const key of ["a", "b", "c"]) await limiter.take(key);
      await limiter.take("a");
      await limiter.take("d");
      assert.equal(limiter.size, 3);
      assert.equal((await limiter.take("a")).allowed, false, "a was seen recently and kept");
      assert.equal((await limiter.take("b")).allowed, true, "b was the oldest and forgotten");
    });

    it("refuses nonsensical settings", () => {
      for (const options of [{ capacity: 0, refillPerSecond: 1 }, { capacity: 1, refillPerSecond: 0 },
        { capacity: Number.NaN, refillPerSecond: 1 }, { capacity: 1, refillPerSecond: Number.POSITIVE_INFINITY }]) {
        assert.throws(() => new InMemoryRateLimiter(options), RangeError);
      }
    });
  });
});
