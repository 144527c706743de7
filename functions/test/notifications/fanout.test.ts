import { strict as assert } from "node:assert";
import fc from "fast-check";
import { type ContinuationPort, Pool, runFanout } from "../../src/notifications/fanout";
import type { RunKey } from "../../src/notifications/store";
import { fakeToken, rateLimitedCall } from "../support/fakePushTransport";
import { fillInstallations, pushHarness, testOptions } from "../support/pushHarness";

const KEY: RunKey = { kind: "saveLocation", scheduledTime: "2026-11-23T15:30:00.000Z" };
const SCHEDULED_MS = Date.parse(KEY.scheduledTime);

function countOf(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

describe("notifications/fanout", () => {
  it("sends every installation exactly once, in token order, across page and chunk boundaries", async () => {
    const h = pushHarness();
    const tokens = await fillInstallations(h.installations, 1234);
    const result = await runFanout(h.deps, KEY, testOptions({ pageSize: 97, chunkSize: 500, concurrency: 2 }));
    assert.equal(result.outcome, "completed");
    assert.deepEqual(h.transport.sentTokens(), tokens);
    assert.equal(h.transport.maxTokensPerCall, 500);
    assert.equal(h.transport.calls, 3);
    const record = await h.runs.get(KEY);
    assert.deepEqual(
      { status: record?.status, attempted: record?.attempted, sent: record?.sent, pruned: record?.pruned, failed: record?.failed, cursor: record?.cursor },
      { status: "done", attempted: 1234, sent: 1234, pruned: 0, failed: 0, cursor: tokens[tokens.length - 1] },
    );
    assert.equal(record?.scheduledTime, KEY.scheduledTime);
    assert.equal(typeof record?.durationMs, "number");
  });

  it("covers every token once for any page size, chunk size and concurrency (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 5 }),
        async (n, pageSize, chunkSize, concurrency) => {
          const h = pushHarness();
          const tokens = await fillInstallations(h.installations, n);
          await runFanout(h.deps, KEY, testOptions({ pageSize, chunkSize, concurrency }));
          assert.deepEqual([...h.transport.sentTokens()].sort(), tokens);
          assert.ok(h.transport.maxTokensPerCall <= chunkSize);
          assert.ok(h.transport.maxInFlight <= concurrency);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("keeps at most `concurrency` calls in flight", async () => {
    const h = pushHarness({ latencyMs: 2 });
    await fillInstallations(h.installations, 2000);
    await runFanout(h.deps, KEY, testOptions({ chunkSize: 100, concurrency: 3, pageSize: 250 }));
    assert.equal(h.transport.maxInFlight, 3);
  });

  it("prunes not-registered, invalid tokens and token-level invalid-argument; keeps message-level failures", async () => {
    const answers = new Map([
      [fakeToken(1), "not-registered"],
      [fakeToken(2), "invalid-token"],
      [fakeToken(3), "invalid-argument-token"],
      [fakeToken(4), "invalid-argument-message"],
    ] as const);
    const h = pushHarness({ answer: (token) => answers.get(token) ?? "success" });
    await fillInstallations(h.installations, 6);
    const result = await runFanout(h.deps, KEY, testOptions());
    assert.deepEqual(
      { sent: result.counts.sent, pruned: result.counts.pruned, failed: result.counts.failed },
      { sent: 2, pruned: 3, failed: 1 },
    );
    const remaining = (await h.installations.pageByToken(null, 10)).map((e) => e.fcmToken);
    assert.deepEqual(remaining, [fakeToken(0), fakeToken(4), fakeToken(5)]);
    assert.deepEqual(result.failureCodes, {
      "messaging/registration-token-not-registered": 1,
      "messaging/invalid-registration-token": 1,
      "messaging/invalid-argument": 2,
    });
  });

  it("retries only the tokens answered 429 or 500, with exponential backoff and jitter", async () => {
    const h = pushHarness({
      answer: (token, attempt) => (token === fakeToken(1) && attempt < 3 ? "429" : token === fakeToken(2) && attempt < 2 ? "500" : "success"),
    });
    await fillInstallations(h.installations, 4);
    const result = await runFanout(h.deps, KEY, testOptions());
    assert.equal(result.counts.sent, 4);
    assert.equal(result.counts.failed, 0);
    assert.deepEqual(h.transport.messages.map((m) => m.tokens.length), [4, 2, 1]);
    // random() = 0.5 with base 100 ms: half of 100, then half of 200.
    assert.deepEqual(h.sleeps, [50, 100]);
    assert.deepEqual(Object.fromEntries(countOf(h.transport.sentTokens())), {
      [fakeToken(0)]: 1,
      [fakeToken(1)]: 3,
      [fakeToken(2)]: 2,
      [fakeToken(3)]: 1,
    });
  });

  it("honours Retry-After when FCM sends one", async () => {
    const h = pushHarness({ answer: (_token, attempt) => (attempt === 1 ? "429" : "success"), retryAfterMs: 7000 });
    await fillInstallations(h.installations, 3);
    await runFanout(h.deps, KEY, testOptions());
    assert.equal(h.sleeps.length, 1);
    assert.ok((h.sleeps[0] ?? 0) >= 7000, `slept ${h.sleeps[0]}`);
  });

  it("retries a whole call that was rate limited, and gives up after maxAttempts counting the tokens failed", async () => {
    const recovering = pushHarness({ rejectCall: (i) => (i === 0 ? rateLimitedCall(1500) : undefined) });
    await fillInstallations(recovering.installations, 5);
    const ok = await runFanout(recovering.deps, KEY, testOptions());
    assert.equal(ok.counts.sent, 5);
    assert.ok((recovering.sleeps[0] ?? 0) >= 1500);

    const failing = pushHarness({ answer: () => "500" });
    await fillInstallations(failing.installations, 5);
    const bad = await runFanout(failing.deps, KEY, testOptions({ maxAttempts: 3 }));
    assert.deepEqual({ sent: bad.counts.sent, failed: bad.counts.failed, attempted: bad.counts.attempted }, { sent: 0, failed: 5, attempted: 5 });
    assert.equal(failing.transport.calls, 3);
    assert.deepEqual(bad.failureCodes, { "messaging/internal-error": 5 });
  });

  it("sends nothing twice for the same scheduled time", async () => {
    const h = pushHarness();
    await fillInstallations(h.installations, 40);
    const first = await runFanout(h.deps, KEY, testOptions());
    const second = await runFanout(h.deps, KEY, testOptions());
    assert.equal(first.outcome, "completed");
    assert.equal(second.outcome, "already_done");
    assert.equal(second.counts.sent, 40);
    assert.equal(h.transport.sentTokens().length, 40);
    const nextSlot = await runFanout(h.deps, { ...KEY, scheduledTime: "2026-11-23T16:00:00.000Z" }, testOptions());
    assert.equal(nextSlot.outcome, "completed", "a different scheduled time is a different run");
  });

  it("resumes after a crash past the last claimed window and never resends a claimed token", async () => {
    const h = pushHarness({ answer: (t) => (t === fakeToken(15) ? "not-registered" : "success") });
    const tokens = await fillInstallations(h.installations, 100);
    // The store failing mid-run escapes the fan-out: the invocation fails and must give its lease back.
    let pageCalls = 0;
    const page = h.installations.pageByToken.bind(h.installations);
    h.installations.pageByToken = (after, limit) => (++pageCalls === 3 ? Promise.reject(new Error("store down")) : page(after, limit));
    const options = testOptions({ chunkSize: 10, concurrency: 2, pageSize: 10 });
    await assert.rejects(runFanout(h.deps, KEY, options), /store down/);
    assert.equal((await h.runs.get(KEY))?.owner, null, "the lease was released");
    assert.equal(h.transport.sentTokens().length, 20, "the crash came after the first window");
    const resumed = await runFanout(h.deps, KEY, options);
    assert.equal(resumed.outcome, "completed");
    const sent = h.transport.sentTokens();
    assert.ok([...countOf(sent).values()].every((n) => n === 1), "no token sent twice");
    assert.deepEqual([...sent].sort(), tokens);
  });

  it("leaves a run held by a live invocation alone and fences off a stale owner", async () => {
    const h = pushHarness();
    await fillInstallations(h.installations, 10);
    await h.runs.begin(KEY, "someone-else", h.clock.now, 60_000);
    const busy = await runFanout(h.deps, KEY, testOptions());
    assert.equal(busy.outcome, "busy");
    assert.equal(h.transport.calls, 0);
    h.clock.now += 61_000;
    const takeover = await runFanout(h.deps, KEY, testOptions());
    assert.equal(takeover.outcome, "completed");
    assert.equal(await h.runs.claim(KEY, "someone-else", null, "z", takeover.counts, 0), false);
  });

  it("does not wake installations that uploaded a fix within the last period", async () => {
    const h = pushHarness();
    await fillInstallations(h.installations, 97 * 2);
    await h.installations.markFixReceived("user1", SCHEDULED_MS - 10 * 60_000);
    await h.installations.markFixReceived("user2", SCHEDULED_MS - 45 * 60_000);
    const result = await runFanout(h.deps, KEY, testOptions({ skipIfFixWithinMs: 30 * 60_000, pageSize: 3, chunkSize: 2 }));
    assert.equal(result.counts.skippedRecent, 2);
    assert.equal(result.counts.sent, 97 * 2 - 2);
    assert.ok(!h.transport.sentTokens().includes(fakeToken(1)));
    assert.ok(h.transport.sentTokens().includes(fakeToken(2)));
  });

  it("skips stored tokens that no longer pass validation instead of sending to them", async () => {
    const h = pushHarness();
    await fillInstallations(h.installations, 3);
    await h.installations.register("old", { installationId: "legacy-0001", fcmToken: "abc", platform: "android" }, 0);
    const result = await runFanout(h.deps, KEY, testOptions());
    assert.equal(result.counts.skippedInvalid, 1);
    assert.ok(!h.transport.sentTokens().includes("abc"));
  });

  it("stops a run that is so late the next wake-up supersedes it", async () => {
    const h = pushHarness({}, SCHEDULED_MS + 26 * 60_000);
    await fillInstallations(h.installations, 3);
    const result = await runFanout(h.deps, KEY, testOptions());
    assert.equal(result.outcome, "expired");
    assert.equal(h.transport.calls, 0);
    assert.equal((await h.runs.get(KEY))?.status, "expired");
  });

  it("paces calls under the configured messages-per-second", async () => {
    const h = pushHarness();
    await fillInstallations(h.installations, 3000);
    const started = h.clock.now;
    await runFanout(h.deps, KEY, testOptions({ maxMessagesPerSecond: 1000, concurrency: 1 }));
    assert.equal(h.clock.now - started, 2500, "six calls of 500 at 1000/s: the last starts at 2.5 s");
  });

  it("hands off to a continuation when the time budget is used up, and the continuation finishes the run", async () => {
    const h = pushHarness({ latencyMs: 0 });
    const tokens = await fillInstallations(h.installations, 50);
    const handed: { key: RunKey; cursor: string | null }[] = [];
    const continuation: ContinuationPort = {
      continueLater: (key, cursor) => {
        handed.push({ key, cursor });
        return Promise.resolve();
      },
    };
    let reads = 0;
    const deps = { ...h.deps, continuation, now: () => h.clock.now + (reads++ > 6 ? 10_000 : 0) };
    const first = await runFanout(deps, KEY, testOptions({ chunkSize: 10, concurrency: 1, timeBudgetMs: 5_000 }));
    assert.equal(first.outcome, "handed_off");
    assert.equal(handed.length, 1);
    assert.deepEqual(handed[0]?.key, KEY);
    const sentBefore = h.transport.sentTokens().length;
    assert.ok(sentBefore > 0 && sentBefore < 50);
    const second = await runFanout({ ...h.deps }, KEY, testOptions({ chunkSize: 10, concurrency: 1 }));
    assert.equal(second.outcome, "completed");
    assert.deepEqual(h.transport.sentTokens(), tokens);
    assert.equal((await h.runs.get(KEY))?.handOffs, 1);
  });

  it("refuses chunks larger than FCM allows", async () => {
    const h = pushHarness();
    await assert.rejects(runFanout(h.deps, KEY, testOptions({ chunkSize: 501 })), RangeError);
  });

  it("Pool bounds parallelism, runs every task and rethrows the first failure", async () => {
    let active = 0;
    let peak = 0;
    const done: number[] = [];
    const pool = new Pool(2);
    for (const n of [5, 1, 4, 2, 3]) {
      await pool.run(async () => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((r) => setImmediate(r));
        active -= 1;
        done.push(n);
      });
    }
    await pool.drain();
    assert.deepEqual([...done].sort(), [1, 2, 3, 4, 5]);
    assert.equal(peak, 2);
    const failing = new Pool(1);
    await failing.run(() => Promise.reject(new Error("first")));
    await assert.rejects(failing.drain(), /first/);
  });
});
