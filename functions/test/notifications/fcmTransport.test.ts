import { strict as assert } from "node:assert";
import { sendOutcomeOf } from "../../src/notifications/fcmTransport";
import { decide } from "../../src/notifications/policy";

/** A per-token failure as firebase-admin 13 reports it (`code` and `message` of a FirebaseMessagingError). */
function failed(code: string, message: string) {
  return { success: false, error: { code, message, toJSON: () => ({ code, message }) } };
}

/** What the fan-out decides for a failed answer; a success here is a test failure. */
function decisionFor(response: Parameters<typeof sendOutcomeOf>[0]) {
  const outcome = sendOutcomeOf(response);
  assert.equal(outcome.ok, false, "expected a failure");
  return outcome.ok ? undefined : { status: outcome.status, decision: decide(outcome) };
}

describe("notifications/fcmTransport", () => {
  it("maps success and FCM's JSON error answers to outcomes the fan-out decides on", () => {
    assert.deepEqual(sendOutcomeOf({ success: true }), { ok: true });
    const notRegistered = sendOutcomeOf(failed("messaging/registration-token-not-registered", "Requested entity was not found."));
    assert.deepEqual(notRegistered, {
      ok: false,
      code: "messaging/registration-token-not-registered",
      message: "Requested entity was not found.",
    });
    assert.deepEqual(decisionFor(failed("messaging/message-rate-exceeded", "Quota exceeded.")), { status: undefined, decision: "retry" });
  });

  it("recovers the HTTP status of an answer without a JSON body, so 429 and 5xx are retried", () => {
    const raw = (text: string, status: number) =>
      failed("messaging/unknown-error", `An unknown server error was returned. Raw server response: "${text}". Status code: ${status}.`);
    for (const [text, status] of [["Too Many Requests", 429], ["<html>Bad Gateway</html>", 502], ["upstream timeout", 504]] as const) {
      assert.deepEqual(decisionFor(raw(text, status)), { status, decision: "retry" });
    }
    assert.deepEqual(decisionFor(raw("Forbidden", 403)), { status: 403, decision: "fail" });
    assert.deepEqual(decisionFor({ success: false }), { status: undefined, decision: "fail" }, "a failure without an error is not retried");
  });
});
