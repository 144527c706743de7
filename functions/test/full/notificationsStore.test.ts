import { getApps, initializeApp } from "firebase-admin/app";
import { firestore } from "../../src/core/admin";
import { strict as assert } from "node:assert";
import { FirestoreInstallationStore, FirestoreMigrationCheckpoints, FirestoreRunStore, INSTALLATIONS, PUSH_MIGRATIONS, PUSH_RUNS } from "../../src/notifications/firestoreStore";
import { DEFAULT_MIGRATION_OPTIONS, migrateToTopic } from "../../src/notifications/migrateTopics";
import { WAKEUP_TOPIC } from "../../src/notifications/topics";
import { installationStoreContract, runStoreContract } from "../notifications/storeContract";
import { FakeFcm, fakeToken } from "../support/fakeFcm";

/** The Firestore notification stores against the Firestore emulator, running the memory stores' contract. */
describe("Firestore notification stores contract (emulator)", function () {
  const project = process.env.GCLOUD_PROJECT ?? "demo-wolley";

  before(function () {
    if (!process.env.FIRESTORE_EMULATOR_HOST) {
      console.log("skipped: FIRESTORE_EMULATOR_HOST is unset (run under firebase emulators:exec with the Firestore emulator)");
      this.skip();
    }
  });

  async function clean(): Promise<void> {
    if (getApps().length === 0) initializeApp({ projectId: project });
    const db = firestore();
    for (const name of [INSTALLATIONS, PUSH_RUNS, PUSH_MIGRATIONS]) await db.recursiveDelete(db.collection(name));
  }

  describe("FirestoreInstallationStore", () => {
    installationStoreContract(async () => {
      await clean();
      return new FirestoreInstallationStore(firestore);
    });
  });

  describe("FirestoreRunStore", () => {
    runStoreContract(async () => {
      await clean();
      return new FirestoreRunStore(firestore);
    });
  });

  describe("topic migration over the Firestore registry and checkpoints", () => {
    it("subscribes every installation, stops at maxPages and resumes from the saved checkpoint", async () => {
      await clean();
      const installations = new FirestoreInstallationStore(firestore);
      for (let i = 0; i < 7; i++) {
        await installations.register(`u${i}`, { installationId: `inst-${String(i).padStart(4, "0")}`, fcmToken: fakeToken(i), platform: "ios" }, 1);
      }
      const fcm = new FakeFcm({ isDead: (token) => token === fakeToken(5) });
      const deps = {
        installations,
        topics: fcm,
        checkpoints: new FirestoreMigrationCheckpoints(firestore),
        now: () => 5,
        sleep: () => Promise.resolve(),
        random: () => 0.5,
      };
      const first = await migrateToTopic(deps, { ...DEFAULT_MIGRATION_OPTIONS, pageSize: 3, maxPages: 1 });
      assert.deepEqual({ done: first.done, cursor: first.cursor }, { done: false, cursor: "inst-0002" });
      const rest = await migrateToTopic(deps, { ...DEFAULT_MIGRATION_OPTIONS, pageSize: 3 });
      assert.deepEqual(
        { resumedFrom: rest.resumedFrom, done: rest.done, scanned: rest.scanned, subscribed: rest.subscribed, pruned: rest.pruned },
        { resumedFrom: "inst-0002", done: true, scanned: 7, subscribed: 6, pruned: 1 },
      );
      assert.equal(fcm.subscribers(WAKEUP_TOPIC).length, 6);
      assert.equal(await installations.get("inst-0005"), undefined);
      assert.equal((await migrateToTopic(deps, DEFAULT_MIGRATION_OPTIONS)).alreadyDone, true);
    });
  });
});
