import { strict as assert } from "node:assert";
import { type OnceClaim, type OnceLedger, OnceBusyError, atMostOnce, once } from "../../src/core/once";

/**
 * The contract every OnceLedger honours, and what `once` and `atMostOnce` make of it. The memory ledger runs it in
 * the unit tier; the Firestore ledger runs the same cases against the emulator in the full tier.
 */
export function onceLedgerContract(make: () => Promise<OnceLedger> | OnceLedger): void {
  let ledger: OnceLedger;
  beforeEach(async () => {
    ledger = await make();
  });
  const claim = (owner: string, nowMs: number, extra: Partial<OnceClaim> = {}): OnceClaim => ({ owner, nowMs, leaseMs: 500, lapsed: "reclaim", ...extra });
  const clock = (ms: number) => () => ms;

  it("claims a key once; a live claim is busy for others and its own again; a done key stays done", async () => {
    const first = await ledger.claim("k", claim("a", 100));
    assert.deepEqual({ state: first.state, record: first.record }, {
      state: "claimed",
      record: { state: "running", owner: "a", leaseUntil: 600, attempts: 1, startedAt: 100, finishedAt: null, outcome: null, detail: null },
    });
    assert.equal((await ledger.claim("k", claim("b", 200))).state, "busy");
    assert.equal((await ledger.claim("k", claim("a", 200))).state, "claimed");
    assert.equal(await ledger.settle("k", "b", { state: "done", outcome: "done", detail: null }, 250), undefined);
    const done = await ledger.settle("k", "a", { state: "done", outcome: "sent", detail: "m1" }, 300);
    assert.deepEqual({ state: done?.state, outcome: done?.outcome, detail: done?.detail, finishedAt: done?.finishedAt }, { state: "done", outcome: "sent", detail: "m1", finishedAt: 300 });
    assert.equal((await ledger.claim("k", claim("c", 10_000))).state, "done");
    assert.equal(await ledger.settle("k", "a", { state: "done", outcome: "sent", detail: "m2" }, 400), undefined);
    assert.equal((await ledger.get("k"))?.detail, "m1");
    assert.equal(await ledger.get("other"), undefined);
  });

  it("admits exactly one of many concurrent claims of the same key", async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => ledger.claim("burst", claim(`o${i}`, 100))));
    assert.equal(answers.filter((a) => a.state === "claimed").length, 1);
    assert.equal(answers.filter((a) => a.state === "busy").length, 9);
  });

  it("reopens a key settled open; counts attempts; closes it expired once stale", async () => {
    await ledger.claim("k", claim("a", 100, { staleAtMs: 10_000 }));
    await ledger.settle("k", "a", { state: "open", outcome: "failed", detail: "messaging/internal-error" }, 200);
    const retry = await ledger.claim("k", claim("b", 300, { staleAtMs: 10_000 }));
    assert.deepEqual({ state: retry.state, attempts: retry.record.attempts, detail: retry.record.detail }, { state: "claimed", attempts: 2, detail: "messaging/internal-error" });
    await ledger.settle("k", "b", { state: "open", outcome: "failed", detail: "messaging/internal-error" }, 400);
    const stale = await ledger.claim("k", claim("c", 10_000, { staleAtMs: 10_000 }));
    assert.deepEqual({ state: stale.state, outcome: stale.record.outcome, detail: stale.record.detail }, { state: "done", outcome: "expired", detail: "messaging/internal-error" });
    const late = await ledger.claim("never-claimed", claim("a", 20_000, { staleAtMs: 10_000 }));
    assert.deepEqual({ state: late.state, outcome: late.record.outcome }, { state: "done", outcome: "expired" });
    assert.equal((await ledger.get("never-claimed"))?.state, "done");
  });

  it("reclaims a lapsed lease when asked, and otherwise closes it with the given outcome", async () => {
    await ledger.claim("again", claim("a", 100));
    const reclaimed = await ledger.claim("again", claim("b", 700));
    assert.deepEqual({ state: reclaimed.state, owner: reclaimed.record.owner, attempts: reclaimed.record.attempts }, { state: "claimed", owner: "b", attempts: 2 });
    await ledger.claim("closed", claim("a", 100));
    const closed = await ledger.claim("closed", claim("b", 700, { lapsed: { outcome: "unknown", detail: "holder died" } }));
    assert.deepEqual({ state: closed.state, outcome: closed.record.outcome, detail: closed.record.detail }, { state: "done", outcome: "unknown", detail: "holder died" });
    assert.equal(await ledger.settle("closed", "a", { state: "done", outcome: "sent", detail: "late" }, 800), undefined);
  });

  it("keeps keys apart, also ones that differ only in how a `/` is spelled", async () => {
    for (const key of ["fn:a/b", "fn:a%2Fb", "fn:a"]) assert.equal((await ledger.claim(key, claim("a", 100))).state, "claimed", key);
    await ledger.settle("fn:a/b", "a", { state: "done", outcome: "done", detail: null }, 200);
    assert.equal((await ledger.get("fn:a%2Fb"))?.state, "running");
  });

  it("once: runs the work, then never again; a failure reopens the key for the retry", async () => {
    const runs: string[] = [];
    const work = (label: string) => () => Promise.resolve(void runs.push(label));
    assert.equal((await once(ledger, "e1", work("first"), { now: clock(100) })).ran, true);
    assert.deepEqual(await once(ledger, "e1", work("replay"), { now: clock(200) }).then((r) => r.ran), false);
    await assert.rejects(once(ledger, "e2", () => Promise.reject(new Error("store down")), { now: clock(100) }), /store down/);
    assert.equal((await ledger.get("e2"))?.state, "open");
    assert.equal((await once(ledger, "e2", work("retry"), { now: clock(200) })).ran, true);
    assert.deepEqual(runs, ["first", "retry"]);
    assert.equal((await ledger.get("e2"))?.attempts, 2);
  });

  it("once: a delivery finding the key running is told to retry, and one after a dead holder's lease runs it", async () => {
    await ledger.claim("e3", claim("dead", 100));
    await assert.rejects(once(ledger, "e3", () => Promise.resolve(), { now: clock(200), leaseMs: 500 }), OnceBusyError);
    assert.equal((await once(ledger, "e3", () => Promise.resolve("ran"), { now: clock(700), leaseMs: 500 })).ran, true);
    assert.equal((await ledger.get("e3"))?.state, "done");
  });

  it("atMostOnce: the one claimant runs it; neither a failure nor a dead holder lets it run again", async () => {
    const results = await Promise.all([1, 2].map(() => atMostOnce(ledger, "m", () => Promise.resolve(), { now: clock(100) })));
    assert.deepEqual(results.map((r) => r.ran).sort(), [false, true]);
    await assert.rejects(atMostOnce(ledger, "f", () => Promise.reject(new Error("pubsub unavailable")), { now: clock(100) }), /pubsub unavailable/);
    assert.deepEqual(await atMostOnce(ledger, "f", () => Promise.resolve(), { now: clock(200) }).then((r) => r.ran), false);
    assert.equal((await ledger.get("f"))?.outcome, "failed");
    await ledger.claim("d", claim("dead", 100));
    const after = await atMostOnce(ledger, "d", () => Promise.resolve(), { now: clock(700), leaseMs: 500 });
    assert.deepEqual({ ran: after.ran, outcome: after.ran ? null : after.record.outcome }, { ran: false, outcome: "unknown" });
  });
}
