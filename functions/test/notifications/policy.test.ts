import { strict as assert } from "node:assert";
import fc from "fast-check";
import { DEFAULT_BACKOFF, type Decision, decide, retryDelayMs } from "../../src/notifications/policy";

describe("notifications/policy", () => {
  it("prunes only tokens FCM calls dead", () => {
    const expected: Record<Decision, { code: string; message: string; status?: number }[]> = {
      prune: [
        { code: "messaging/registration-token-not-registered", message: "Requested entity was not found.", status: 404 },
        { code: "messaging/invalid-registration-token", message: "Invalid registration token provided.", status: 400 },
        { code: "messaging/invalid-argument", message: "The registration token is not a valid FCM registration token", status: 400 },
        { code: "messaging/invalid-argument", message: "Invalid registration", status: 400 },
      ],
      retry: [
        { code: "messaging/message-rate-exceeded", message: "Quota exceeded.", status: 429 },
        { code: "messaging/device-message-rate-exceeded", message: "", status: 429 },
        { code: "messaging/internal-error", message: "", status: 500 },
        { code: "messaging/server-unavailable", message: "", status: 503 },
        { code: "transport/unknown", message: "socket hang up", status: 502 },
      ],
      fail: [
        { code: "transport/unknown", message: "boom" },
        { code: "messaging/invalid-argument", message: "Request contains an invalid argument.", status: 400 },
        { code: "messaging/invalid-argument", message: "Invalid value at 'message.android.ttl'", status: 400 },
        { code: "messaging/third-party-auth-error", message: "APNs auth", status: 401 },
        { code: "messaging/mismatched-credential", message: "SenderId mismatch", status: 403 },
      ],
    };
    for (const [decision, failures] of Object.entries(expected)) {
      for (const failure of failures) assert.equal(decide(failure), decision, `${failure.code} ${failure.message}`);
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
