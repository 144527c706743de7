import { strict as assert } from "node:assert";
import fc from "fast-check";
import type { RunKey } from "../../src/notifications/store";
import { runTopicPush } from "../../src/notifications/topicPush";
import { WAKEUP_TOPIC } from "../../src/notifications/topics";
import { FCM_ERRORS, fakeToken } from "../support/fakeFcm";
import { pushHarness, testOptions } from "../support/pushHarness";

const KEY: RunKey = { kind: "saveLocation", scheduledTime: "2026-11-23T15:30:00.000Z" };

describe("notifications/topicPush", () => {
  it("sends one topic message that reaches every subscribed installation once", async () => {
    const h = pushHarness();
    const tokens = Array.from({ length: 1234 }, (_, i) => fakeToken(i));
    await h.fcm.subscribe(tokens, WAKEUP_TOPIC);
    const result = await runTopicPush(h.deps, KEY, testOptions());
    assert.equal(result.outcome, "sent");
    assert.equal(h.fcm.sendCalls, 1);
    assert.equal(h.fcm.sent[0]?.topic, WAKEUP_TOPIC);
    assert.ok(tokens.every((token) => h.fcm.received.get(token)?.length === 1));
    const record = await h.runs.get(KEY);
    assert.deepEqual(
      { status: record?.status, attempts: record?.attempts, messageId: record?.messageId, finishedAt: record?.finishedAt },
      { status: "sent", attempts: 1, messageId: "projects/demo-wolley/messages/1", finishedAt: h.clock.now },
    );
  });

  it("sends nothing for a retried or repeated invocation of the same scheduled time", async () => {
    const h = pushHarness();
    await runTopicPush(h.deps, KEY, testOptions());
    const again = await runTopicPush(h.deps, KEY, testOptions());
    assert.equal(again.outcome, "already_done");
    assert.equal(h.fcm.sendCalls, 1);
  });

  it("overlapping invocations: at most one sends, whatever the interleaving (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 6 }), fc.array(fc.nat({ max: 5 }), { minLength: 6, maxLength: 6 }), async (n, ticks) => {
        const h = pushHarness();
        const yieldTicks = async (count: number) => {
          for (let i = 0; i < count; i++) await Promise.resolve();
        };
        const results = await Promise.all(
          Array.from({ length: n }, async (_, i) => {
            await yieldTicks(ticks[i] ?? 0);
            return runTopicPush(h.deps, KEY, testOptions());
          }),
        );
        assert.equal(h.fcm.sendCalls, 1);
        assert.equal(results.filter((r) => r.outcome === "sent").length, 1);
      }),
      { numRuns: 50 },
    );
  });

  it("retries 429 and 5xx answers with backoff, in the same invocation", async () => {
    const h = pushHarness({ failSend: (i) => (i === 0 ? FCM_ERRORS.rateLimited() : i === 1 ? FCM_ERRORS.internal() : undefined) });
    const result = await runTopicPush(h.deps, KEY, testOptions());
    assert.deepEqual({ outcome: result.outcome, sends: result.sends }, { outcome: "sent", sends: 3 });
    // random() = 0.5 with base 100 ms: half of 100, then half of 200.
    assert.deepEqual(h.sleeps, [50, 100]);
    assert.equal(h.fcm.sent.length, 1);
  });

  it("a message FCM keeps refusing is recorded failed; the scheduler's retry may send it, once", async () => {
    let refusing = true;
    const h = pushHarness({ failSend: () => (refusing ? FCM_ERRORS.internal() : undefined) });
    const failed = await runTopicPush(h.deps, KEY, testOptions({ maxAttempts: 3 }));
    assert.deepEqual({ outcome: failed.outcome, sends: failed.sends, status: failed.record?.status }, { outcome: "failed", sends: 3, status: "failed" });
    refusing = false;
    const retried = await runTopicPush(h.deps, KEY, testOptions());
    assert.deepEqual({ outcome: retried.outcome, attempts: retried.record?.attempts }, { outcome: "sent", attempts: 2 });
    assert.equal((await runTopicPush(h.deps, KEY, testOptions())).outcome, "already_done");
    assert.equal(h.fcm.sent.length, 1);
  });

  it("does not retry a message-level refusal (invalid-argument)", async () => {
    const h = pushHarness({ failSend: () => FCM_ERRORS.invalidArgument() });
    const result = await runTopicPush(h.deps, KEY, testOptions());
    assert.deepEqual({ outcome: result.outcome, sends: result.sends, error: result.record?.error }, { outcome: "failed", sends: 1, error: "messaging/invalid-argument" });
  });

  it("never resends after a network failure that leaves open whether FCM got the message", async () => {
    const h = pushHarness({ failSend: (i) => (i === 0 ? FCM_ERRORS.network() : undefined) });
    const result = await runTopicPush(h.deps, KEY, testOptions());
    assert.deepEqual({ outcome: result.outcome, status: result.record?.status }, { outcome: "unknown", status: "unknown" });
    assert.equal((await runTopicPush(h.deps, KEY, testOptions())).outcome, "already_done");
    assert.equal(h.fcm.sendCalls, 1);
  });

  it("never resends after an invocation died between claim and answer", async () => {
    const h = pushHarness();
    await h.runs.claim(KEY, { owner: "died", nowMs: h.clock.now, leaseMs: 60_000, staleAtMs: Infinity });
    assert.equal((await runTopicPush(h.deps, KEY, testOptions())).outcome, "busy");
    h.clock.now += 61_000;
    const after = await runTopicPush(h.deps, KEY, testOptions());
    assert.deepEqual({ outcome: after.outcome, status: after.record?.status }, { outcome: "already_done", status: "unknown" });
    assert.equal(h.fcm.sendCalls, 0);
  });

  it("drops a run that is first attempted after it went stale", async () => {
    const h = pushHarness({}, Date.parse(KEY.scheduledTime) + 26 * 60_000);
    const result = await runTopicPush(h.deps, KEY, testOptions());
    assert.deepEqual({ outcome: result.outcome, status: result.record?.status }, { outcome: "already_done", status: "expired" });
    assert.equal(h.fcm.sendCalls, 0);
  });
});
