import { strict as assert } from "node:assert";
import fc from "fast-check";
import { DEFAULT_BACKOFF, decide, retryDelayMs } from "../../src/notifications/policy";

describe("notifications/policy", () => {
  it("prunes only tokens FCM calls dead", () => {
    const table: [string, string, number | undefined, string][] = [
      ["messaging/registration-token-not-registered", "Requested entity was not found.", 404, "prune"],
      ["messaging/invalid-registration-token", "Invalid registration token provided.", 400, "prune"],
      ["messaging/invalid-argument", "The registration token is not a valid FCM registration token", 400, "prune"],
      ["messaging/invalid-argument", "Invalid registration", 400, "prune"],
      ["messaging/invalid-argument", "Request contains an invalid argument.", 400, "fail"],
      ["messaging/invalid-argument", "Invalid value at 'message.android.ttl'", 400, "fail"],
      ["messaging/message-rate-exceeded", "Quota exceeded.", 429, "retry"],
      ["messaging/device-message-rate-exceeded", "", 429, "retry"],
      ["messaging/internal-error", "", 500, "retry"],
      ["messaging/server-unavailable", "", 503, "retry"],
      ["transport/unknown", "socket hang up", 502, "retry"],
      ["messaging/third-party-auth-error", "APNs auth", 401, "fail"],
      ["messaging/mismatched-credential", "SenderId mismatch", 403, "fail"],
      ["transport/unknown", "boom", undefined, "fail"],
    ];
    for (const [code, message, status, expected] of table) {
      assert.equal(decide({ code, message, ...(status === undefined ? {} : { status }) }), expected, `${code} ${message}`);
    }
  });

  it("backs off exponentially with full jitter under the cap (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, random) => {
        const delay = retryDelayMs(attempt, random, undefined);
        const ceiling = Math.min(DEFAULT_BACKOFF.maxMs, DEFAULT_BACKOFF.baseMs * 2 ** (attempt - 1));
        assert.ok(delay >= 0 && delay < Math.max(1, ceiling), `${delay} vs ${ceiling}`);
      }),
    );
    assert.equal(retryDelayMs(1, 0.999, undefined), 499);
    assert.equal(retryDelayMs(3, 0.5, undefined), 1000);
  });

  it("never retries sooner than Retry-After, up to its cap (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 600_000 }),
        (attempt, random, retryAfter) => {
          const delay = retryDelayMs(attempt, random, retryAfter);
          const honoured = Math.min(retryAfter, DEFAULT_BACKOFF.maxRetryAfterMs);
          assert.ok(delay >= honoured && delay < honoured + 1000);
        },
      ),
    );
  });
});
