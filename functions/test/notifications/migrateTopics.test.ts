import { strict as assert } from "node:assert";
import { InMemoryInstallationStore } from "./memoryStore";
import { DEFAULT_MIGRATION_OPTIONS, type MigrationCheckpoint, type MigrationDeps, type MigrationOptions, migrateToTopic } from "../../src/notifications/migrateTopics";
import { WAKEUP_TOPIC } from "../../src/notifications/topics";
import { FCM_ERRORS, FakeFcm, type FakeFcmBehaviour, fakeToken } from "../support/fakeFcm";

/** Checkpoints in memory, with the same load/save semantics as `push_migrations/{name}`. */
class MemoryCheckpoints {
  readonly saved = new Map<string, MigrationCheckpoint>();
  load(name: string): Promise<MigrationCheckpoint | undefined> {
    const checkpoint = this.saved.get(name);
    return Promise.resolve(checkpoint ? { ...checkpoint } : undefined);
  }
  save(name: string, checkpoint: MigrationCheckpoint): Promise<void> {
    this.saved.set(name, { ...checkpoint });
    return Promise.resolve();
  }
}

async function setup(count: number, behaviour: FakeFcmBehaviour = {}) {
  const installations = new InMemoryInstallationStore();
  for (let i = 0; i < count; i++) {
    await installations.register(`user${i % 7}`, { installationId: `inst-${String(i).padStart(6, "0")}`, fcmToken: fakeToken(i), platform: i % 2 ? "ios" : "android" }, 0);
  }
  const fcm = new FakeFcm(behaviour);
  const checkpoints = new MemoryCheckpoints();
  const sleeps: number[] = [];
  const deps: MigrationDeps = {
    installations,
    topics: fcm,
    checkpoints,
    now: () => 1_000,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
  };
  return { installations, fcm, checkpoints, deps, sleeps };
}

const options = (overrides: Partial<MigrationOptions> = {}): MigrationOptions => ({ ...DEFAULT_MIGRATION_OPTIONS, pageSize: 10, ...overrides });

describe("notifications/migrateTopics", () => {
  it("subscribes every registered installation's token, one call per page of at most 1,000", async () => {
    const t = await setup(35);
    const result = await migrateToTopic(t.deps, options());
    assert.deepEqual(
      { done: result.done, scanned: result.scanned, subscribed: result.subscribed, pruned: result.pruned, failed: result.failed },
      { done: true, scanned: 35, subscribed: 35, pruned: 0, failed: 0 },
    );
    assert.equal(t.fcm.subscribers(WAKEUP_TOPIC).length, 35);
    assert.equal(t.fcm.subscribeCalls, 4);
    await assert.rejects(migrateToTopic(t.deps, options({ pageSize: 1001 })), RangeError);
  });

  it("dry run: reads and counts, subscribes, prunes and saves nothing", async () => {
    const t = await setup(25, { isDead: (token) => token === fakeToken(3) });
    await t.installations.register("legacy", { installationId: "inst-legacy", fcmToken: fakeToken(99), platform: "ios" }, 0);
    const result = await migrateToTopic(t.deps, options({ dryRun: true }));
    assert.deepEqual({ dryRun: result.dryRun, done: result.done, scanned: result.scanned, subscribed: result.subscribed }, { dryRun: true, done: true, scanned: 26, subscribed: 26 });
    assert.equal(t.fcm.subscribeCalls, 0);
    assert.equal(t.checkpoints.saved.size, 0);
    assert.equal((await t.installations.pageById(null, 100)).length, 26);
  });

  it("resumes after a failure from the last page it finished, and a finished migration is not rerun", async () => {
    const t = await setup(40, { failSubscribe: (i) => (i === 2 ? FCM_ERRORS.invalidArgument() : undefined) });
    await assert.rejects(migrateToTopic(t.deps, options()));
    const stopped = t.checkpoints.saved.get(DEFAULT_MIGRATION_OPTIONS.name);
    assert.deepEqual({ cursor: stopped?.cursor, done: stopped?.done, subscribed: stopped?.subscribed }, { cursor: "inst-000019", done: false, subscribed: 20 });
    const resumed = await migrateToTopic(t.deps, options());
    assert.deepEqual({ resumedFrom: resumed.resumedFrom, done: resumed.done, scanned: resumed.scanned, subscribed: resumed.subscribed }, { resumedFrom: "inst-000019", done: true, scanned: 40, subscribed: 40 });
    assert.equal(t.fcm.subscribers(WAKEUP_TOPIC).length, 40);
    const calls = t.fcm.subscribeCalls;
    const again = await migrateToTopic(t.deps, options());
    assert.equal(again.alreadyDone, true);
    assert.equal(t.fcm.subscribeCalls, calls);
    const restarted = await migrateToTopic(t.deps, options({ restart: true }));
    assert.deepEqual({ scanned: restarted.scanned, subscribed: restarted.subscribed }, { scanned: 40, subscribed: 40 }, "subscribing again is harmless");
    assert.equal(t.fcm.subscribers(WAKEUP_TOPIC).length, 40);
  });

  it("stops after maxPages with a checkpoint a later run continues from", async () => {
    const t = await setup(30);
    const first = await migrateToTopic(t.deps, options({ maxPages: 2 }));
    assert.deepEqual({ done: first.done, scanned: first.scanned }, { done: false, scanned: 20 });
    const rest = await migrateToTopic(t.deps, options());
    assert.deepEqual({ done: rest.done, scanned: rest.scanned }, { done: true, scanned: 30 });
  });

  it("prunes installations whose tokens FCM calls dead, retries tokens FCM asks to retry, skips placeholders", async () => {
    let refusals = 0;
    const t = await setup(12, {
      isDead: (token) => token === fakeToken(4) || token === fakeToken(7),
      refuseToken: (token) => (token === fakeToken(5) && refusals++ < 2 ? { ok: false, code: "messaging/internal-error", message: "INTERNAL" } : undefined),
    });
    // A legacy placeholder written before registration validated tokens; the store itself does not judge tokens.
    await t.installations.register("legacy", { installationId: "inst-legacy", fcmToken: "abc", platform: "ios" }, 0);
    const result = await migrateToTopic(t.deps, options());
    assert.deepEqual(
      { subscribed: result.subscribed, pruned: result.pruned, skippedInvalid: result.skippedInvalid, failed: result.failed },
      { subscribed: 10, pruned: 2, skippedInvalid: 1, failed: 0 },
    );
    assert.equal(await t.installations.get("inst-000004"), undefined);
    assert.ok(await t.installations.get("inst-legacy"));
    assert.deepEqual(t.sleeps, [250, 500]);
  });
});
