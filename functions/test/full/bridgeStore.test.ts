import { strict as assert } from "node:assert";
import { getApps, initializeApp } from "firebase-admin/app";
import { Timestamp } from "firebase-admin/firestore";
import { database, firestore } from "../../src/core/admin";
import { firebaseBridgeStore } from "../../src/bridge/store";
import { FirestoreOnceLedger, PROCESSED_EVENTS } from "../../src/core/firestoreOnce";
import { once } from "../../src/core/once";
import { bridgeStoreContract } from "../bridge/storeContract";
import { onceLedgerContract } from "../core/onceLedgerContract";

/**
 * The Firebase BridgeStore and the once ledger behind its `processed_events` against the Firestore emulator, running
 * the memory twins' contracts; the `smarthome/status` case needs the Realtime Database emulator too and skips without
 * it.
 */
describe("firebaseBridgeStore contract (emulators)", function () {
  const project = process.env.GCLOUD_PROJECT ?? "demo-wolley";
  const databaseHost = process.env.FIREBASE_DATABASE_EMULATOR_HOST;

  before(function () {
    if (!process.env.FIRESTORE_EMULATOR_HOST) {
      console.log("skipped: FIRESTORE_EMULATOR_HOST is unset (run under firebase emulators:exec with the Firestore emulator)");
      this.skip();
    }
  });

  async function clean(): Promise<void> {
    if (getApps().length === 0) {
      initializeApp(databaseHost ? { projectId: project, databaseURL: `http://${databaseHost}?ns=${project}-default-rtdb` } : { projectId: project });
    }
    const db = firestore();
    for (const name of [PROCESSED_EVENTS, "user_account", "schedule_mode"]) await db.recursiveDelete(db.collection(name));
    if (databaseHost) await database().ref("smarthome/status").set(null);
  }

  bridgeStoreContract(async () => {
    await clean();
    return {
      store: firebaseBridgeStore(),
      readSchedule: async (title) => (await firestore().collection("schedule_mode").doc(title).get()).data(),
      status: databaseHost
        ? { read: async () => (await database().ref("smarthome/status").get()).val() as unknown }
        : { unavailable: "FIREBASE_DATABASE_EMULATOR_HOST is unset (no Realtime Database emulator running)" },
    };
  });

  describe("FirestoreOnceLedger contract", () => {
    const COLLECTION = "once_contract";
    const emptyLedger = async (): Promise<FirestoreOnceLedger> => {
      await clean();
      await firestore().recursiveDelete(firestore().collection(COLLECTION));
      return new FirestoreOnceLedger(COLLECTION);
    };
    onceLedgerContract(emptyLedger);

    it("stores a key holding `/` under its escaped document id", async () => {
      const ledger = await emptyLedger();
      await ledger.claim("fn:a/b", { owner: "a", nowMs: 1_000, leaseMs: 500, lapsed: "reclaim" });
      assert.equal((await firestore().collection(COLLECTION).doc("fn:a%2Fb").get()).get("owner"), "a");
    });
  });

  describe("Firestore documents", () => {
    beforeEach(clean);

    it("stamps processed markers with the expireAt the Firestore TTL policy deletes them by", async () => {
      const now = Date.UTC(2026, 10, 27, 9, 0);
      await once(firebaseBridgeStore().processed, "mqttInbound:e1", () => Promise.resolve(), { now: () => now });
      const marker = (await firestore().collection(PROCESSED_EVENTS).doc("mqttInbound:e1").get()).data();
      assert.equal(marker?.finishedAt, now);
      assert.ok(marker?.expireAt instanceof Timestamp, JSON.stringify(marker));
      assert.equal(marker.expireAt.toMillis(), now + 7 * 24 * 60 * 60 * 1000);
    });

    it("keeps the other fields of an existing user_account when a signup repeats", async () => {
      await firestore().collection("user_account").doc("u1").set({ name: "Kim", phone: "010-0000-0000" });
      await firebaseBridgeStore().upsertUserAccount("u1", "Lee");
      assert.deepEqual((await firestore().collection("user_account").doc("u1").get()).data(), { name: "Lee", phone: "010-0000-0000" });
    });

    it("reads an account whose name is not a string as no account", async () => {
      await firestore().collection("user_account").doc("u1").set({ name: 42 });
      await firestore().collection("user_account").doc("u2").set({ nickname: "Kim" });
      assert.equal(await firebaseBridgeStore().userName("u1"), undefined);
      assert.equal(await firebaseBridgeStore().userName("u2"), undefined);
    });
  });
});
