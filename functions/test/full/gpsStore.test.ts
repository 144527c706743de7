import assert from "node:assert/strict";
import { getApps, initializeApp } from "firebase-admin/app";
import { firestore } from "../../src/core/admin";
import { seoulDayStart } from "../../src/core/seoulTime";
import { FirestoreGpsStore } from "../../src/gps/firestoreStore";
import { UnknownBucketEncodingError, encodePoints } from "../../src/gps/points";
import { gpsStoreContract, sampleWeeklyStats } from "../gps/storeContract";

/** The Firestore GPS store against the Firestore emulator: the in-memory store's contract, and the stored formats. */
describe("FirestoreGpsStore (emulator)", function () {
  this.timeout(60_000);
  const project = process.env.GCLOUD_PROJECT ?? "demo-wolley";

  before(function () {
    if (!process.env.FIRESTORE_EMULATOR_HOST) {
      console.log("skipped: FIRESTORE_EMULATOR_HOST is unset (run under firebase emulators:exec with the Firestore emulator)");
      this.skip();
    }
  });

  const emptyStore = async (): Promise<FirestoreGpsStore> => {
    if (getApps().length === 0) initializeApp({ projectId: project });
    const db = firestore();
    await db.recursiveDelete(db.collection("gpsUsers"));
    return new FirestoreGpsStore(firestore);
  };

  describe("contract", () => gpsStoreContract(emptyStore));

  /** Documents as earlier versions wrote them, and as a later version might. */
  describe("stored formats", () => {
    const DAY = "2026-11-16";
    const t = seoulDayStart(DAY);
    const points = [
      { t: t + 1_000, lat: 37.5, lng: 127 },
      { t: t + 2_000, lat: 37.51, lng: 127.01, accuracy: 5 },
    ];
    const bucket = (uid: string) => firestore().doc(`gpsUsers/${uid}/gpsDays/${DAY}`);

    it("writes buckets with encoding 1 and reads a bucket written before the field as encoding 1", async () => {
      const store = await emptyStore();
      await store.addPoints("fresh", new Map([[DAY, points]]));
      assert.equal((await bucket("fresh").get()).get("encoding"), 1);
      await bucket("legacy").set({ uid: "legacy", day: DAY, week: "2026-W47", count: 2, points: Buffer.from(encodePoints(points)) });
      assert.deepEqual(await store.readDays("legacy", [DAY]), points);
      const more = await store.addPoints("legacy", new Map([[DAY, [{ t: t + 3_000, lat: 37.5, lng: 127 }]]]));
      assert.equal(more.inserted, 1);
      assert.equal((await bucket("legacy").get()).get("encoding"), 1);
    });

    it("refuses a bucket of an unknown encoding on read and on upload, leaving it as it was", async () => {
      const store = await emptyStore();
      await bucket("future").set({ uid: "future", day: DAY, week: "2026-W47", count: 2, encoding: 2, points: Buffer.from(encodePoints(points)) });
      const before = await bucket("future").get();
      await assert.rejects(store.readDays("future", [DAY]), (err: unknown) => err instanceof UnknownBucketEncodingError && err.encoding === 2);
      await assert.rejects(store.addPoints("future", new Map([[DAY, [{ t: t + 3_000, lat: 37.5, lng: 127 }]]])), UnknownBucketEncodingError);
      const after = await bucket("future").get();
      assert.ok(after.updateTime?.isEqual(before.updateTime!), "the bucket was not rewritten");
      assert.equal(after.get("encoding"), 2);
    });

    it("stores weekly badges as ids and reads documents written with titles", async () => {
      const store = await emptyStore();
      const stats = sampleWeeklyStats();
      const doc = firestore().doc(`gpsUsers/u1/weeklyStats/${stats.week}`);
      assert.equal(await store.putWeeklyStats("u1", stats), true);
      assert.deepEqual((await doc.get()).get("badges"), ["homebody"]);
      await doc.set({ ...stats, badges: [{ id: "homebody", title: "집돌이 (an older title)" }] });
      assert.deepEqual(await store.getWeeklyStats("u1", stats.week), stats);
      assert.equal(await store.putWeeklyStats("u1", stats), false, "a legacy document equal to the recomputation is left as it is");
    });
  });
});
