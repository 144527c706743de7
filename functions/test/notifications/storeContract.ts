import { strict as assert } from "node:assert";
import type { InstallationStore, RunClaim, RunStore } from "../../src/notifications/store";
import { fakeToken } from "../support/fakeFcm";

/**
 * The contract every InstallationStore and RunStore honours. The in-memory stores run it in the unit tier; the
 * Firestore stores run the same functions against the emulator.
 */
export function installationStoreContract(makeStore: () => Promise<InstallationStore> | InstallationStore): void {
  let store: InstallationStore;
  beforeEach(async () => {
    store = await makeStore();
  });

  const reg = (id: string, token: string, platform: "ios" | "android" = "android") => ({
    installationId: id,
    fcmToken: token,
    platform,
  });

  it("registers, refreshes and reports whether it created and which token it replaced", async () => {
    assert.deepEqual(await store.register("alice", reg("inst-0001", fakeToken(1)), 10), { state: "created", replaced: [] });
    assert.deepEqual(await store.register("alice", { ...reg("inst-0001", fakeToken(2), "ios"), appVersion: "2.0" }, 20), {
      state: "refreshed",
      replaced: [],
      previousToken: fakeToken(1),
    });
    assert.deepEqual(await store.register("alice", { ...reg("inst-0001", fakeToken(2), "ios"), appVersion: "2.0" }, 30), { state: "refreshed", replaced: [] });
    const got = await store.get("inst-0001");
    assert.deepEqual(got, { installationId: "inst-0001", uid: "alice", fcmToken: fakeToken(2), platform: "ios", appVersion: "2.0", updatedAt: 30 });
    assert.equal(await store.holdsToken(fakeToken(2)), true);
    assert.equal(await store.holdsToken(fakeToken(1)), false);
  });

  it("never reassigns an installation id another user holds, and writes nothing then", async () => {
    await store.register("alice", reg("inst-0001", fakeToken(1)), 10);
    assert.deepEqual(await store.register("bob", reg("inst-0001", fakeToken(9)), 20), { state: "owned_by_other" });
    assert.deepEqual(await store.get("inst-0001"), { installationId: "inst-0001", uid: "alice", fcmToken: fakeToken(1), platform: "android", updatedAt: 10 });
    assert.equal(await store.holdsToken(fakeToken(9)), false);
  });

  it("moves a token between the caller's own installations; another user's installation keeps it", async () => {
    await store.register("alice", reg("inst-0001", fakeToken(1)), 10);
    assert.deepEqual(await store.register("alice", reg("inst-0002", fakeToken(1)), 20), { state: "created", replaced: ["inst-0001"] });
    assert.equal(await store.get("inst-0001"), undefined);
    assert.deepEqual(await store.register("bob", reg("inst-0003", fakeToken(1)), 30), { state: "created", replaced: [] });
    assert.equal((await store.get("inst-0002"))?.uid, "alice");
    assert.equal((await store.get("inst-0003"))?.uid, "bob");
  });

  it("unregisters only the caller's own installation and returns what it held", async () => {
    await store.register("alice", reg("inst-0001", fakeToken(1)), 10);
    assert.equal(await store.unregister("mallory", "inst-0001"), undefined);
    assert.equal(await store.unregister("alice", "inst-0404"), undefined);
    assert.equal((await store.unregister("alice", "inst-0001"))?.fcmToken, fakeToken(1));
    assert.equal(await store.get("inst-0001"), undefined);
    assert.equal(await store.holdsToken(fakeToken(1)), false);
  });

  it("pages in id order across page boundaries without repeating or skipping", async () => {
    const ids = [5, 3, 9, 1, 7, 2, 8, 4, 6, 0];
    for (const i of ids) await store.register("u", reg(`inst-${String(i).padStart(4, "0")}`, fakeToken(i)), 1);
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const page = await store.pageById(after, 3);
      assert.ok(page.length <= 3);
      seen.push(...page.map((e) => e.installationId));
      const last = page[page.length - 1];
      if (!last) break;
      after = last.installationId;
    }
    assert.deepEqual(seen, [...ids].sort((a, b) => a - b).map((i) => `inst-${String(i).padStart(4, "0")}`));
    assert.deepEqual(await store.pageById("inst-0008", 5), [{ installationId: "inst-0009", fcmToken: fakeToken(9) }]);
  });

  it("prunes only installations that still hold the dead token", async () => {
    await store.register("u", reg("inst-0001", fakeToken(1)), 1);
    await store.register("u", reg("inst-0002", fakeToken(2)), 1);
    await store.register("u", reg("inst-0002", fakeToken(3)), 2);
    const removed = await store.prune([
      { installationId: "inst-0001", fcmToken: fakeToken(1) },
      { installationId: "inst-0002", fcmToken: fakeToken(2) },
      { installationId: "inst-0404", fcmToken: fakeToken(4) },
    ]);
    assert.equal(removed, 1);
    assert.deepEqual(await store.pageById(null, 10), [{ installationId: "inst-0002", fcmToken: fakeToken(3) }]);
  });
}

export function runStoreContract(makeStore: () => Promise<RunStore> | RunStore): void {
  let runs: RunStore;
  beforeEach(async () => {
    runs = await makeStore();
  });
  const key = { kind: "saveLocation" as const, scheduledTime: "2026-11-23T15:30:00.000Z" };
  const claim = (owner: string, nowMs: number, staleAtMs = 10_000): RunClaim => ({ owner, nowMs, leaseMs: 500, staleAtMs });

  it("claims once; a live claim is busy for others; a sent run is done", async () => {
    const first = await runs.claim(key, claim("a", 100));
    assert.equal(first.state, "claimed");
    assert.deepEqual({ status: first.record.status, attempts: first.record.attempts, owner: first.record.owner }, { status: "sending", attempts: 1, owner: "a" });
    assert.equal((await runs.claim(key, claim("b", 200))).state, "busy");
    const sent = await runs.settle(key, "a", { status: "sent", messageId: "m1" }, 300);
    assert.deepEqual({ status: sent?.status, messageId: sent?.messageId, finishedAt: sent?.finishedAt }, { status: "sent", messageId: "m1", finishedAt: 300 });
    const again = await runs.claim(key, claim("c", 400));
    assert.equal(again.state, "done");
    assert.equal(await runs.settle(key, "a", { status: "sent", messageId: "m2" }, 500), undefined);
    assert.equal((await runs.get(key))?.messageId, "m1");
  });

  it("only the holder settles; a refused send may be claimed again until the run is stale", async () => {
    await runs.claim(key, claim("a", 100));
    assert.equal(await runs.settle(key, "b", { status: "failed", error: "x" }, 150), undefined);
    assert.equal((await runs.settle(key, "a", { status: "failed", error: "messaging/internal-error" }, 200))?.status, "failed");
    const retry = await runs.claim(key, claim("b", 300));
    assert.deepEqual({ state: retry.state, attempts: retry.record.attempts }, { state: "claimed", attempts: 2 });
    await runs.settle(key, "b", { status: "failed", error: "messaging/internal-error" }, 400);
    const stale = await runs.claim(key, claim("c", 10_000));
    assert.deepEqual({ state: stale.state, status: stale.record.status }, { state: "done", status: "expired" });
  });

  it("never sends again after an invocation died mid-send: the run closes as unknown", async () => {
    await runs.claim(key, claim("a", 100));
    const after = await runs.claim(key, claim("b", 700));
    assert.deepEqual({ state: after.state, status: after.record.status }, { state: "done", status: "unknown" });
    assert.equal(await runs.settle(key, "a", { status: "sent", messageId: "late" }, 800), undefined);
    assert.equal((await runs.claim(key, claim("c", 900))).state, "done");
  });

  it("records a run first claimed after it went stale as expired", async () => {
    const late = await runs.claim(key, claim("a", 20_000));
    assert.deepEqual({ state: late.state, status: late.record.status }, { state: "done", status: "expired" });
    assert.equal((await runs.get(key))?.status, "expired");
  });
}
