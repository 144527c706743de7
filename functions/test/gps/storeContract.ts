import { strict as assert } from "node:assert";
import { seoulDayStart } from "../../src/core/seoulTime";
import { MAX_POINTS_PER_DAY, type StoredPoint } from "../../src/gps/points";
import { badgeTitle } from "../../src/gps/badgeCatalogue";
import type { WeeklyStats } from "../../src/gps/stats";
import { DayCapacityError, type GpsStore } from "../../src/gps/store";

/** A week with one badge, as computed: its title is the catalogue's. */
export function sampleWeeklyStats(): WeeklyStats {
  return {
    uid: "u1",
    week: "2026-W47",
    from: "2026-11-16",
    to: "2026-11-22",
    figures: { hours: { home: 100.5 }, movingHours: 3, distinctPlaces: 2, stayCount: 9, daysWithLogs: 7, pointCount: 10 },
    previous: null,
    change: null,
    badges: [{ id: "homebody", title: badgeTitle("homebody") }],
  };
}

/** What every GpsStore must do; run against the in-memory store (unit) and Firestore (full suite, emulator). */
export function gpsStoreContract(make: () => Promise<GpsStore>): void {
  const D1 = "2026-11-16";
  const D2 = "2026-11-17";
  const t1 = seoulDayStart(D1);
  const t2 = seoulDayStart(D2);
  const p = (t: number, lat = 37.5, lng = 127, extra: Partial<StoredPoint> = {}): StoredPoint => ({ t, lat, lng, ...extra });

  it("merges points into day buckets, deduplicating and reporting one write per day that changed", async () => {
    const store = await make();
    const first = await store.addPoints("u1", new Map([[D1, [p(t1 + 2_000), p(t1 + 1_000, 37.51, 127.01, { accuracy: 5, speed: 1.5 })]], [D2, [p(t2)]]]));
    assert.deepEqual(first, { inserted: 3, duplicates: 0, writes: 2, days: [D1, D2] });
    const again = await store.addPoints("u1", new Map([[D1, [p(t1 + 2_000), p(t1 + 3_000)]], [D2, [p(t2)]]]));
    assert.deepEqual(again, { inserted: 1, duplicates: 2, writes: 1, days: [D1, D2] });
    assert.deepEqual(await store.readDays("u1", [D2, D1, D1]), [
      p(t1 + 1_000, 37.51, 127.01, { accuracy: 5, speed: 1.5 }),
      p(t1 + 2_000),
      p(t1 + 3_000),
      p(t2),
    ]);
    assert.deepEqual(await store.readDays("u2", [D1]), []);
    assert.deepEqual(await store.readDays("u1", []), []);
  });

  it("stores coordinates at 1e-7 degrees, so a re-sent point is the same point", async () => {
    const store = await make();
    await store.addPoints("u1", new Map([[D1, [p(t1, 37.123456789, 127.987654321)]]]));
    const again = await store.addPoints("u1", new Map([[D1, [p(t1, 37.12345679, 127.98765432)]]]));
    assert.equal(again.inserted, 0);
    assert.deepEqual(await store.readDays("u1", [D1]), [p(t1, 37.1234568, 127.9876543)]);
  });

  it("refuses a day beyond capacity atomically: no day of the request is written", async () => {
    const store = await make();
    const full = Array.from({ length: MAX_POINTS_PER_DAY }, (_, i) => p(t1 + i * 2_000));
    assert.equal((await store.addPoints("u1", new Map([[D1, full]]))).inserted, MAX_POINTS_PER_DAY);
    await assert.rejects(store.addPoints("u1", new Map([[D2, [p(t2)]], [D1, [p(t1 + 1)]]])), DayCapacityError);
    assert.deepEqual(await store.readDays("u1", [D2]), []);
    assert.equal((await store.readDays("u1", [D1])).length, MAX_POINTS_PER_DAY);
  });

  it("stores every point of 40 concurrent uploads to one day once, each caller told its own counts", async () => {
    const store = await make();
    const uploads = Array.from({ length: 40 }, (_, i) => [p(t1 + i * 60_000), p(t1 + i * 60_000 + 30_000), p(t1)]);
    const results = await Promise.all(uploads.map((points) => store.addPoints("u1", new Map([[D1, points]]))));
    for (const r of results) {
      assert.deepEqual(r.days, [D1]);
      assert.equal(r.inserted + r.duplicates, 3);
    }
    assert.equal(results.reduce((sum, r) => sum + r.inserted, 0), 80);
    const stored = await store.readDays("u1", [D1]);
    assert.equal(stored.length, 80);
    assert.equal(new Set(stored.map((q) => q.t)).size, 80);
  });

  it("refuses only the concurrent upload that overflows a day; the others are stored", async () => {
    const store = await make();
    const nearlyFull = Array.from({ length: MAX_POINTS_PER_DAY - 2 }, (_, i) => p(t1 + i * 2_000));
    await store.addPoints("u1", new Map([[D1, nearlyFull]]));
    const outcomes = await Promise.allSettled([
      store.addPoints("u1", new Map([[D1, [p(t1 + 1)]]])),
      store.addPoints("u1", new Map([[D1, [p(t1 + 3), p(t1 + 5)]], [D2, [p(t2)]]])),
      store.addPoints("u1", new Map([[D2, [p(t2 + 1_000)]]])),
    ]);
    assert.deepEqual(outcomes.map((o) => o.status), ["fulfilled", "rejected", "fulfilled"]);
    assert.ok(outcomes[1]?.status === "rejected" && outcomes[1].reason instanceof DayCapacityError);
    assert.equal((await store.readDays("u1", [D1])).length, MAX_POINTS_PER_DAY - 1);
    assert.deepEqual(await store.readDays("u1", [D2]), [p(t2 + 1_000)]);
  });

  it("lists distinct users with points in a week, in uid order, a page at a time", async () => {
    const store = await make();
    for (const uid of ["c", "a", "d", "b"]) await store.addPoints(uid, new Map([[D1, [p(t1)]], [D2, [p(t2)]]]));
    await store.addPoints("e", new Map([["2026-11-30", [p(seoulDayStart("2026-11-30"))]]]));
    assert.deepEqual(await store.listUsersWithLogs("2026-W47", undefined, 3), ["a", "b", "c"]);
    assert.deepEqual(await store.listUsersWithLogs("2026-W47", "c", 3), ["d"]);
    assert.deepEqual(await store.listUsersWithLogs("2026-W47", "d", 3), []);
    assert.deepEqual(await store.listUsersWithLogs("2026-W49", undefined, 3), ["e"]);
  });

  it("keeps labelled places per user", async () => {
    const store = await make();
    const gym = { id: "gym", name: "Gym", category: "exercise", lat: 37.5, lng: 127, radiusMeters: 100 };
    await store.putPlace("u1", gym);
    await store.putPlace("u1", { ...gym, id: "cafe", name: "Cafe", category: "cafe" });
    await store.putPlace("u1", { ...gym, radiusMeters: 150 });
    assert.deepEqual(
      (await store.listPlaces("u1")).sort((a, b) => a.id.localeCompare(b.id)),
      [{ ...gym, id: "cafe", name: "Cafe", category: "cafe" }, { ...gym, radiusMeters: 150 }],
    );
    assert.deepEqual(await store.listPlaces("u2"), []);
    assert.equal(await store.deletePlace("u1", "cafe"), true);
    assert.equal(await store.deletePlace("u1", "cafe"), false);
    assert.deepEqual(await store.listPlaces("u1"), [{ ...gym, radiusMeters: 150 }]);
  });

  it("stores weekly statistics, writing only when they change", async () => {
    const store = await make();
    const stats = sampleWeeklyStats();
    assert.equal(await store.getWeeklyStats("u1", "2026-W47"), undefined);
    assert.equal(await store.putWeeklyStats("u1", stats), true);
    assert.equal(await store.putWeeklyStats("u1", structuredClone(stats)), false);
    assert.deepEqual(await store.getWeeklyStats("u1", "2026-W47"), stats);
    const changed = { ...stats, badges: [] };
    assert.equal(await store.putWeeklyStats("u1", changed), true);
    assert.deepEqual(await store.getWeeklyStats("u1", "2026-W47"), changed);
    // Titles are not stored: a week reads back with the catalogue's, whatever title it was written with.
    assert.equal(await store.putWeeklyStats("u1", { ...stats, badges: [{ id: "homebody", title: "Homebody" }] }), true);
    assert.deepEqual(await store.getWeeklyStats("u1", "2026-W47"), stats);
  });
}
