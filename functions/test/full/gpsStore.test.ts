import assert from "node:assert/strict";
import { getApps, initializeApp } from "firebase-admin/app";
import { firestore } from "../../src/admin";
import { seoulDayStart } from "../../src/core/seoulTime";
import { badgeTitle } from "../../src/gps/badgeCatalogue";
import { FirestoreGpsStore } from "../../src/gps/firestoreStore";
import { UnknownBucketEncodingError, encodePoints } from "../../src/gps/points";
import type { WeeklyStats } from "../../src/gps/stats";
import { gpsStoreContract } from "../gps/storeContract";

/** The Firestore GPS store against the Firestore emulator, running the in-memory store's contract. */
describe("FirestoreGpsStore contract (emulator)", function () {
  this.timeout(60_000);
  const project = process.env.GCLOUD_PROJECT ?? "demo-wolley";

  before(function () {
    if (!process.env.FIRESTORE_EMULATOR_HOST) {
      console.log("skipped: FIRESTORE_EMULATOR_HOST is unset (run under firebase emulators:exec with the Firestore emulator)");
      this.skip();
    }
  });

  gpsStoreContract(async () => {
    if (getApps().length === 0) initializeApp({ projectId: project });
    const db = firestore();
    await db.recursiveDelete(db.collection("gpsUsers"));
    return new FirestoreGpsStore(firestore);
  });
});

/** Documents as earlier versions wrote them, and as a later version might: read through the Firestore store. */
describe("FirestoreGpsStore stored formats (emulator)", function () {
  this.timeout(60_000);
  const project = process.env.GCLOUD_PROJECT ?? "demo-wolley";
  const DAY = "2026-11-16";
  const t = seoulDayStart(DAY);
  const points = [
    { t: t + 1_000, lat: 37.5, lng: 127 },
    { t: t + 2_000, lat: 37.51, lng: 127.01, accuracy: 5 },
  ];
  const bucket = (uid: string) => firestore().doc(`gpsUsers/${uid}/gpsDays/${DAY}`);

  before(function () {
    if (!process.env.FIRESTORE_EMULATOR_HOST) {
      console.log("skipped: FIRESTORE_EMULATOR_HOST is unset (run under firebase emulators:exec with the Firestore emulator)");
      this.skip();
    }
  });

  beforeEach(async () => {
    if (getApps().length === 0) initializeApp({ projectId: project });
    const db = firestore();
    await db.recursiveDelete(db.collection("gpsUsers"));
  });

  it("writes buckets with encoding 1 and reads a bucket written before the field as encoding 1", async () => {
    const store = new FirestoreGpsStore(firestore);
    await store.addPoints("fresh", new Map([[DAY, points]]));
    assert.equal((await bucket("fresh").get()).get("encoding"), 1);
    await bucket("legacy").set({ uid: "legacy", day: DAY, week: "2026-W47", count: 2, points: Buffer.from(encodePoints(points)) });
    assert.deepEqual(await store.readDays("legacy", [DAY]), points);
    const more = await store.addPoints("legacy", new Map([[DAY, [{ t: t + 3_000, lat: 37.5, lng: 127 }]]]));
    assert.equal(more.inserted, 1);
    assert.equal((await bucket("legacy").get()).get("encoding"), 1);
  });

  it("refuses a bucket of an unknown encoding on read and on upload, leaving it as it was", async () => {
    const store = new FirestoreGpsStore(firestore);
    const future = { uid: "future", day: DAY, week: "2026-W47", count: 2, encoding: 2, points: Buffer.from(encodePoints(points)) };
    await bucket("future").set(future);
    const before = await bucket("future").get();
    await assert.rejects(store.readDays("future", [DAY]), (err: unknown) => err instanceof UnknownBucketEncodingError && err.encoding === 2);
    await assert.rejects(store.addPoints("future", new Map([[DAY, [{ t: t + 3_000, lat: 37.5, lng: 127 }]]])), UnknownBucketEncodingError);
    const after = await bucket("future").get();
    assert.ok(after.updateTime?.isEqual(before.updateTime!), "the bucket was not rewritten");
    assert.equal(after.get("encoding"), 2);
  });

  it("stores weekly badges as ids and reads documents written with titles", async () => {
    const store = new FirestoreGpsStore(firestore);
    const stats: WeeklyStats = {
      uid: "u1",
      week: "2026-W47",
      from: DAY,
      to: "2026-11-22",
      figures: { hours: { home: 120 }, movingHours: 3, distinctPlaces: 2, stayCount: 9, daysWithLogs: 7, pointCount: 10 },
      previous: null,
      change: null,
      badges: [{ id: "homebody", title: badgeTitle("homebody") }],
    };
    const doc = firestore().doc("gpsUsers/u1/weeklyStats/2026-W47");
    assert.equal(await store.putWeeklyStats("u1", stats), true);
    assert.deepEqual((await doc.get()).get("badges"), ["homebody"]);
    await doc.set({ ...stats, badges: [{ id: "homebody", title: "집돌이 (an older title)" }] });
    assert.deepEqual(await store.getWeeklyStats("u1", "2026-W47"), stats);
    assert.equal(await store.putWeeklyStats("u1", stats), false, "a legacy document equal to the recomputation is left as it is");
  });
});
