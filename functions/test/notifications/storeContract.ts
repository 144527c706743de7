import { strict as assert } from "node:assert";
import type { InstallationStore, RunStore } from "../../src/notifications/store";
import { ZERO_COUNTS } from "../../src/notifications/store";
import { fakeToken } from "../support/fakePushTransport";

/**
 * The contract every InstallationStore and RunStore honours. The in-memory stores run it in the unit tier; the
 * Firestore stores can run the same functions against the emulator.
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

  it("registers, refreshes and reports whether it created", async () => {
    assert.deepEqual(await store.register("alice", reg("inst-0001", fakeToken(1)), 10), { created: true, movedFrom: [] });
    assert.deepEqual(await store.register("alice", { ...reg("inst-0001", fakeToken(2), "ios"), appVersion: "2.0" }, 20), {
      created: false,
      movedFrom: [],
    });
    const got = await store.get("inst-0001");
    assert.deepEqual(got, { installationId: "inst-0001", uid: "alice", fcmToken: fakeToken(2), platform: "ios", appVersion: "2.0", updatedAt: 20 });
    assert.deepEqual(await store.pageByToken(null, 10), [{ installationId: "inst-0001", fcmToken: fakeToken(2) }]);
  });

  it("moves a token to the installation that registers it last", async () => {
    await store.register("alice", reg("inst-0001", fakeToken(1)), 10);
    const moved = await store.register("bob", reg("inst-0002", fakeToken(1)), 20);
    assert.deepEqual(moved, { created: true, movedFrom: ["inst-0001"] });
    assert.equal(await store.get("inst-0001"), undefined);
    assert.deepEqual(await store.pageByToken(null, 10), [{ installationId: "inst-0002", fcmToken: fakeToken(1) }]);
  });

  it("unregisters only the caller's own installation", async () => {
    await store.register("alice", reg("inst-0001", fakeToken(1)), 10);
    assert.equal(await store.unregister("mallory", "inst-0001"), false);
    assert.equal(await store.unregister("alice", "inst-0404"), false);
    assert.equal(await store.unregister("alice", "inst-0001"), true);
    assert.deepEqual(await store.pageByToken(null, 10), []);
  });

  it("pages in token order across page boundaries without repeating or skipping", async () => {
    const ids = [5, 3, 9, 1, 7, 2, 8, 4, 6, 0];
    for (const i of ids) await store.register("u", reg(`inst-${String(i).padStart(4, "0")}`, fakeToken(i)), 1);
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const page = await store.pageByToken(after, 3);
      assert.ok(page.length <= 3);
      seen.push(...page.map((e) => e.fcmToken));
      if (page.length < 3) break;
      after = page[page.length - 1]?.fcmToken ?? null;
    }
    assert.deepEqual(seen, [...ids].sort((a, b) => a - b).map((i) => fakeToken(i)));
  });

  it("prunes an installation only while it still holds the dead token", async () => {
    await store.register("alice", reg("inst-0001", fakeToken(1)), 10);
    await store.register("alice", reg("inst-0002", fakeToken(2)), 10);
    const [first, second] = await store.pageByToken(null, 10);
    assert.ok(first && second);
    await store.register("alice", reg("inst-0002", fakeToken(3)), 20);
    assert.equal(await store.prune([first, second]), 1);
    assert.deepEqual(await store.pageByToken(null, 10), [{ installationId: "inst-0002", fcmToken: fakeToken(3) }]);
  });

  it("records the newest fix per user and keeps it across refreshes by the same user", async () => {
    await store.register("alice", reg("inst-0001", fakeToken(1)), 10);
    await store.register("bob", reg("inst-0002", fakeToken(2)), 10);
    await store.markFixReceived("alice", 500);
    await store.markFixReceived("alice", 400);
    assert.deepEqual(await store.pageByToken(null, 10), [
      { installationId: "inst-0001", fcmToken: fakeToken(1), lastFixAt: 500 },
      { installationId: "inst-0002", fcmToken: fakeToken(2) },
    ]);
    await store.register("alice", reg("inst-0001", fakeToken(1)), 600);
    assert.equal((await store.get("inst-0001"))?.lastFixAt, 500);
    await store.register("carol", reg("inst-0001", fakeToken(1)), 700);
    assert.equal((await store.get("inst-0001"))?.lastFixAt, undefined, "another user's fixes do not carry over");
  });
}

export function runStoreContract(makeStore: () => Promise<RunStore> | RunStore): void {
  let runs: RunStore;
  const key = { kind: "saveLocation" as const, scheduledTime: "2026-11-23T15:30:00.000Z" };
  beforeEach(async () => {
    runs = await makeStore();
  });

  it("leases a run to one owner at a time until it expires or is released", async () => {
    const first = await runs.begin(key, "a", 1000, 500);
    assert.equal(first.state, "acquired");
    assert.equal((await runs.begin(key, "b", 1200, 500)).state, "busy");
    const taken = await runs.begin(key, "b", 1600, 500);
    assert.equal(taken.state, "acquired", "an expired lease can be taken over");
    assert.equal(await runs.claim(key, "a", null, "t1", ZERO_COUNTS, 2000), false, "the old owner is fenced off");
    assert.equal(await runs.release(key, "b", { ...ZERO_COUNTS, sent: 1 }, true), true);
    const resumed = await runs.begin(key, "c", 1700, 500);
    assert.equal(resumed.state, "acquired");
    assert.equal(resumed.record.sent, 1);
    assert.equal(resumed.record.handOffs, 1);
  });

  it("moves the cursor only from the expected position", async () => {
    await runs.begin(key, "a", 0, 1000);
    assert.equal(await runs.claim(key, "a", null, "t5", { ...ZERO_COUNTS, attempted: 5 }, 1000), true);
    assert.equal(await runs.claim(key, "a", null, "t9", ZERO_COUNTS, 1000), false);
    assert.equal(await runs.claim(key, "a", "t5", "t9", { ...ZERO_COUNTS, attempted: 9 }, 1000), true);
    const record = await runs.get(key);
    assert.equal(record?.cursor, "t9");
    assert.equal(record?.attempted, 9);
  });

  it("finishes once; a finished run is reported done and refuses further claims", async () => {
    await runs.begin(key, "a", 100, 1000);
    const done = await runs.finish(key, "a", { ...ZERO_COUNTS, sent: 3, attempted: 3 }, "done", 350);
    assert.equal(done?.status, "done");
    assert.equal(done?.durationMs, 250);
    assert.equal(done?.scheduledTime, key.scheduledTime);
    const again = await runs.begin(key, "b", 400, 1000);
    assert.equal(again.state, "done");
    assert.equal(await runs.claim(key, "a", null, "x", ZERO_COUNTS, 1), false);
    assert.equal(await runs.finish(key, "a", ZERO_COUNTS, "done", 500), undefined);
  });
}
