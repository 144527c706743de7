import { strict as assert } from "node:assert";
import firebaseFunctionsTest from "firebase-functions-test";
import fc from "fast-check";
import type { ScheduledEvent } from "firebase-functions/v2/scheduler";
import { BADGES, type Badge } from "../../src/gps/badgeCatalogue";
import { dailyOverlapMs, inferHomeWork } from "../../src/gps/categories";
import { setWeeklyStatsDeps, weeklyTaskId } from "../../src/gps/deps";
import { seoulDay, seoulDayStart } from "../../src/core/seoulTime";
import { addDays, isoWeekOf, mondayOfIsoWeek } from "../../src/gps/points";
import { lastFinishedWeek, refreshWeeklyStats, runWeeklyStats, weeksReadingDay } from "../../src/gps/service";
import { type WeeklyStats, awardBadges, computeWeeklyStats, weeklyStatsDays } from "../../src/gps/stats";
import { InMemoryGpsStore } from "./memoryStore";
import { buildDailyPath, findMoves } from "../../src/gps/timeline";
import { weeklyStats } from "../../src/gps/weeklyStats";
import { weeklyStatsTask } from "../../src/gps/weeklyStatsTask";
import { createApiHandler } from "../../src/http/pipeline";
import { buildRoutes } from "../../src/api/routes";
import { bearer, fakeVerifier } from "../support/fakeVerifier";
import { serve } from "../support/http";
import { inMemoryApiDeps } from "../support/inMemoryApiDeps";
import { GYM_LABEL, HOME, routineWeek } from "./routine";
import { mulberry32 } from "./tracks";

const HOUR = 3_600_000;
const MONDAY = "2026-11-16";
const WEEK = "2026-W47";
const NOW = Date.parse("2026-11-26T12:00:00.000Z");

function fixturePoints(): ReturnType<typeof routineWeek> {
  return [...routineWeek(addDays(MONDAY, -7), { withGym: false, seed: 1 }), ...routineWeek(MONDAY, { seed: 2 })];
}

const near = (actual: number, expected: number, tolerance = 0.1): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected} ± ${tolerance}`);

describe("Seoul days and ISO weeks", () => {
  it("buckets by Asia/Seoul day and ISO week", () => {
    assert.equal(seoulDay(Date.parse("2026-11-15T15:00:00Z")), "2026-11-16");
    assert.equal(seoulDay(Date.parse("2026-11-15T14:59:59.999Z")), "2026-11-15");
    assert.equal(isoWeekOf("2026-11-16"), "2026-W47");
    assert.equal(isoWeekOf("2027-01-01"), "2026-W53");
    assert.equal(isoWeekOf("2024-12-30"), "2025-W01");
    assert.equal(mondayOfIsoWeek("2026-W47"), "2026-11-16");
    assert.equal(mondayOfIsoWeek("2025-W01"), "2024-12-30");
    assert.equal(mondayOfIsoWeek("2025-W53"), undefined);
    assert.equal(mondayOfIsoWeek("2026-W00"), undefined);
    assert.equal(mondayOfIsoWeek("2026-47"), undefined);
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (t) => {
        const day = seoulDay(t);
        assert.equal(mondayOfIsoWeek(isoWeekOf(day)), addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7)));
      }),
    );
  });

  it("knows exactly which weeks' statistics read a day's points", () => {
    assert.deepEqual(weeksReadingDay("2026-11-18"), ["2026-W47", "2026-W48"]);
    assert.deepEqual(weeksReadingDay("2026-11-16"), ["2026-W46", "2026-W47", "2026-W48"]);
    assert.deepEqual(weeksReadingDay("2026-11-22"), ["2026-W47", "2026-W48", "2026-W49"]);
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (t) => {
        const day = seoulDay(t);
        for (let k = -4; k <= 4; k++) {
          const week = isoWeekOf(addDays(day, 7 * k));
          assert.equal(weeksReadingDay(day).includes(week), weeklyStatsDays(mondayOfIsoWeek(week) as string).includes(day), `${day} ${week}`);
        }
      }),
    );
  });

  it("the scheduled run on Monday 00:30 Seoul covers the week just finished", () => {
    assert.equal(lastFinishedWeek(Date.parse("2026-11-22T15:30:00Z")), WEEK);
    assert.equal(lastFinishedWeek(Date.parse("2026-11-23T14:59:00Z")), WEEK);
  });
});

describe("categories", () => {
  it("measures night and weekday working hours in Seoul time", () => {
    const monday = seoulDayStart(MONDAY);
    assert.equal(dailyOverlapMs(monday, monday + 7 * 24 * HOUR, { from: 22 * HOUR, to: 30 * HOUR }, false), 7 * 8 * HOUR);
    assert.equal(dailyOverlapMs(monday, monday + 7 * 24 * HOUR, { from: 9 * HOUR, to: 18 * HOUR }, true), 5 * 9 * HOUR);
  });

  it("infers nothing from too little dwelling", () => {
    const t = seoulDayStart(MONDAY) + 23 * HOUR;
    assert.deepEqual(inferHomeWork([{ ...HOME, startMs: t, endMs: t + HOUR, pointCount: 60 }], t - HOUR, t + 2 * HOUR), {});
  });
});

describe("moves", () => {
  it("are the stretches with fixes between stays; a long silence is unknown", () => {
    const pts = [0, 1, 2, 3, 10, 11, 200, 201].map((m) => ({ t: m * 60_000, lat: 0, lng: 0 }));
    const moves = findMoves(pts, [{ startMs: 2 * 60_000, endMs: 3 * 60_000 }], 60 * 60_000);
    assert.deepEqual(moves.map((m) => [m.startMs / 60_000, m.endMs / 60_000, m.pointCount]), [
      [0, 2, 2],
      [3, 11, 3],
      [200, 201, 1],
    ]);
  });
});

describe("daily path", () => {
  const points = fixturePoints();

  it("categorises stays (labelled, inferred home and work) and shares a weekday", () => {
    const path = buildDailyPath("2026-11-17", points, [GYM_LABEL]);
    assert.deepEqual(path.stays.map((s) => s.category), ["home", "work", "exercise", "home"]);
    assert.equal(path.stays[2]!.placeName, "Gym");
    const dayStart = seoulDayStart("2026-11-17");
    // The night at home crosses midnight: whole on the map, cut at 00:00 for the shares.
    assert.ok(path.stays[0]!.startMs < dayStart);
    assert.equal(path.stays[0]!.dayStartMs, dayStart);
    assert.ok(path.stays[3]!.endMs > dayStart + 24 * HOUR);
    near(path.shares.home! * 24, 8.5 + 3, 0.1);
    near(path.shares.work! * 24, 9, 0.1);
    near(path.shares.exercise! * 24, 2, 0.1);
    near(path.shares.moving! * 24, 1.5, 0.1);
    near(Object.values(path.shares).reduce((a, b) => a + b, 0), 1, 1e-9);
    assert.equal(path.moves.length, 3);
  });

  it("shows no data as unknown", () => {
    const path = buildDailyPath("2026-12-25", points, []);
    assert.deepEqual(path.stays, []);
    assert.deepEqual(path.shares, { unknown: 1 });
  });
});

describe("weekly statistics", () => {
  it("computes hours per category, places, moving time, the change and badges for the fixture week", () => {
    const stats = computeWeeklyStats("alice", WEEK, MONDAY, fixturePoints(), [GYM_LABEL]) as WeeklyStats;
    assert.ok(stats);
    const f = stats.figures;
    near(f.hours.work!, 45, 0.2);
    near(f.hours.exercise!, 4, 0.1);
    near(f.hours.other!, 2, 0.1);
    // Fourteen trips of 30 minutes: a stay keeps no time after its last fix, the next being 170 m on at 2.8 m/s.
    near(f.movingHours, 7, 0.2);
    near(f.hours.home!, 168 - 45 - 4 - 2 - 7, 0.3);
    assert.equal(f.distinctPlaces, 4);
    assert.equal(f.daysWithLogs, 7);
    assert.ok(stats.previous);
    near(stats.previous.hours.work!, 45, 0.2);
    assert.equal(stats.previous.hours.exercise, undefined);
    near(stats.change!["hours.exercise"]!, 4, 0.1);
    near(stats.change!.movingHours!, 1, 0.2);
    assert.equal(stats.change!.distinctPlaces, 1);
    assert.deepEqual(stats.badges.map((b) => b.id).sort(), ["every-day", "hard-worker", "homebody"]);
  });

  it("is the same however the week was uploaded", async function () {
    this.timeout(60_000);
    const points = fixturePoints();
    const days = Array.from({ length: 16 }, (_, i) => addDays(MONDAY, i - 8));
    const once = new InMemoryGpsStore();
    await once.addPoints("alice", groupBy(points));
    const whole = computeWeeklyStats("alice", WEEK, MONDAY, await once.readDays("alice", days), [GYM_LABEL]);
    assert.ok(whole);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1e9 }), async (seed) => {
        const store = new InMemoryGpsStore();
        store.setPlaces("alice", [GYM_LABEL]);
        const rnd = mulberry32(seed);
        const shuffled = points.slice().sort(() => rnd() - 0.5);
        for (let i = 0; i < shuffled.length; ) {
          const size = rnd() < 0.1 ? 1 : 1 + Math.floor(rnd() * 4_000);
          const chunk = shuffled.slice(i, i + size);
          await store.addPoints("alice", new Map([...groupBy(chunk)]));
          if (rnd() < 0.3) await store.addPoints("alice", new Map([...groupBy(chunk)]));
          i += size;
        }
        assert.deepEqual(computeWeeklyStats("alice", WEEK, MONDAY, await store.readDays("alice", days), [GYM_LABEL]), whole);
      }),
      { numRuns: 8 },
    );
  });

  it("awards badges from the declarative catalogue", () => {
    const f = { hours: { home: 120, work: 30, other: 12 }, movingHours: 11, distinctPlaces: 12, stayCount: 30, daysWithLogs: 6, pointCount: 1 };
    assert.deepEqual(awardBadges(f, null).map((b) => b.id), ["explorer", "homebody", "on-the-move", "balance"]);
    assert.deepEqual(awardBadges(f, { "hours.other": 6 }).map((b) => b.id), ["explorer", "homebody", "on-the-move", "more-outside", "balance"]);
    const custom: Badge[] = [{ id: "x", title: "X", all: [{ figure: "change.stayCount", op: "<", value: 0 }] }];
    assert.deepEqual(awardBadges(f, { stayCount: -1 }, custom).map((b) => b.id), ["x"]);
    assert.equal(new Set(BADGES.map((b) => b.id)).size, BADGES.length);
  });
});

function groupBy(points: ReturnType<typeof routineWeek>): Map<string, ReturnType<typeof routineWeek>> {
  const m = new Map<string, ReturnType<typeof routineWeek>>();
  for (const p of points) m.set(seoulDay(p.t), [...(m.get(seoulDay(p.t)) ?? []), p]);
  return m;
}

type TaskRequest = Parameters<typeof weeklyStatsTask.run>[0];

describe("weeklyStats trigger (fn.run)", () => {
  const fft = firebaseFunctionsTest();
  after(() => fft.cleanup());
  afterEach(() => setWeeklyStatsDeps(undefined));

  it("computes every user with logs in the week, a page at a time, and a re-run writes nothing", async () => {
    const store = new InMemoryGpsStore();
    const uids = ["u1", "u2", "u3", "u4", "u5"];
    for (const [i, uid] of uids.entries()) {
      const pts = routineWeek(MONDAY, { seed: 10 + i, withGym: i % 2 === 0 });
      await store.addPoints(uid, groupBy(pts));
    }
    await store.addPoints("elsewhen", groupBy(routineWeek(addDays(MONDAY, 14))));
    const pages: (string | undefined)[] = [];
    const list = store.listUsersWithLogs.bind(store);
    store.listUsersWithLogs = (week, after, limit) => {
      pages.push(after);
      return list(week, after, limit);
    };
    const handedOn: [string, string][] = [];
    setWeeklyStatsDeps({ store, pageSize: 2, concurrency: 2, now: () => NOW, continueLater: (w, a) => Promise.resolve(void handedOn.push([w, a])) });
    const event: ScheduledEvent = { scheduleTime: "2026-11-22T15:30:00.000Z", jobName: "firebase-schedule-weeklyStats-asia-northeast3" };
    await weeklyStats.run(event);
    assert.deepEqual(pages, [undefined, "u2", "u4"]);
    for (const uid of uids) assert.equal((await store.getWeeklyStats(uid, WEEK))?.week, WEEK);
    assert.equal(await store.getWeeklyStats("elsewhen", WEEK), undefined);
    assert.deepEqual(handedOn, []);
    const writes = store.writes;
    await weeklyStats.run(event);
    assert.equal(store.writes, writes);
  });

  it("hands the rest of the users to a task when its time budget runs out, and the task finishes the week", async () => {
    const store = new InMemoryGpsStore();
    const uids = ["u1", "u2", "u3", "u4", "u5"];
    for (const [i, uid] of uids.entries()) await store.addPoints(uid, groupBy(routineWeek(MONDAY, { seed: 20 + i })));
    let clock = NOW;
    const list = store.listUsersWithLogs.bind(store);
    // Each page takes an hour of the fake clock, so every invocation gets through one page only.
    store.listUsersWithLogs = (week, after, limit) => {
      clock += 3_600_000;
      return list(week, after, limit);
    };
    const tasks: { week: string; after: string }[] = [];
    setWeeklyStatsDeps({ store, pageSize: 2, concurrency: 2, now: () => clock, continueLater: (week, after) => Promise.resolve(void tasks.push({ week, after })) });
    await weeklyStats.run({ scheduleTime: "2026-11-22T15:30:00.000Z", jobName: "firebase-schedule-weeklyStats-asia-northeast3" });
    assert.deepEqual(tasks, [{ week: WEEK, after: "u2" }]);
    await weeklyStatsTask.run({ data: tasks[0] } as TaskRequest);
    assert.deepEqual(tasks[1], { week: WEEK, after: "u4" });
    await weeklyStatsTask.run({ data: tasks[1] } as TaskRequest);
    assert.equal(tasks.length, 2);
    for (const uid of uids) assert.equal((await store.getWeeklyStats(uid, WEEK))?.week, WEEK);
    // A malformed task is dropped (logged), not retried forever.
    await weeklyStatsTask.run({ data: { week: "soon" } } as unknown as TaskRequest);
    assert.equal(tasks.length, 2);
    assert.notEqual(weeklyTaskId(WEEK, "u2"), weeklyTaskId(WEEK, "u4"));
    assert.equal(weeklyTaskId(WEEK, "u2"), weeklyTaskId(WEEK, "u2"));
  });

  it("keeps going when one user's computation fails", async () => {
    const store = new InMemoryGpsStore();
    await store.addPoints("a", groupBy(routineWeek(MONDAY)));
    await store.addPoints("b", groupBy(routineWeek(MONDAY)));
    const read = store.readDays.bind(store);
    store.readDays = (uid, days) => (uid === "a" ? Promise.reject(new Error("boom")) : read(uid, days));
    const result = await runWeeklyStats(store, WEEK, undefined, {
      pageSize: 10,
      concurrency: 4,
      now: () => NOW,
      deadlineMs: NOW + 60_000,
      continueLater: () => Promise.reject(new Error("not expected")),
    });
    assert.deepEqual(result, { week: WEEK, users: 1, failed: 1, pages: 1 });
  });
});

describe("paths and stats over HTTP", () => {
  let server: Awaited<ReturnType<typeof serve>>;
  let harness: ReturnType<typeof inMemoryApiDeps>;
  before(async () => {
    harness = inMemoryApiDeps({ now: () => NOW });
    harness.stores.gps.setPlaces("alice", [GYM_LABEL]);
    await harness.stores.gps.addPoints("alice", groupBy(fixturePoints()));
    // What the weekly run stores; the api only serves it.
    await refreshWeeklyStats(harness.stores.gps, "alice", WEEK);
    server = await serve(createApiHandler({ verifier: fakeVerifier, routes: buildRoutes(harness.deps), corsOrigins: () => [] }));
  });
  after(async () => server.close());

  const get = async (path: string, uid = "alice"): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await fetch(`${server.url}${path}`, { headers: { authorization: bearer(uid) } });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it("serves the daily path of the caller", async () => {
    const res = await get("/v1/paths/daily?date=2026-11-17");
    assert.equal(res.status, 200);
    assert.deepEqual((res.json.stays as { category: string }[]).map((s) => s.category), ["home", "work", "exercise", "home"]);
    const other = await get("/v1/paths/daily?date=2026-11-17", "bob");
    assert.deepEqual(other.json.stays, []);
    for (const bad of ["", "?date=2026-02-30", "?date=17-11-2026", "?date=2026-11-17T00:00"]) {
      const r = await get(`/v1/paths/daily${bad}`);
      assert.equal(r.status, 400, bad);
      assert.equal(r.json.error, "invalid_query");
    }
  });

  it("serves weekly statistics, 404 for a week without logs, 400 for a bad week", async () => {
    const res = await get(`/v1/stats/weekly?week=${WEEK}`);
    assert.equal(res.status, 200);
    assert.equal((res.json as unknown as WeeklyStats).figures.daysWithLogs, 7);
    assert.equal((await get("/v1/stats/weekly?week=2026-W30")).status, 404);
    assert.equal((await get("/v1/stats/weekly?week=2026-W60")).status, 400);
    assert.equal((await get("/v1/stats/weekly")).status, 400);
  });

  it("serves the stored weekly document and never computes or writes on a GET", async () => {
    const writes = harness.writes.count();
    const stored = await harness.stores.gps.getWeeklyStats("alice", WEEK);
    assert.deepEqual((await get(`/v1/stats/weekly?week=${WEEK}`)).json, stored);
    // The week before has points (the fixture reaches into it) but no stored document: 404, not a recomputation.
    const previous = isoWeekOf(addDays(MONDAY, -7));
    assert.equal((await get(`/v1/stats/weekly?week=${previous}`)).status, 404);
    assert.equal(await harness.stores.gps.getWeeklyStats("alice", previous), undefined);
    assert.equal(harness.writes.count(), writes);
  });

  const send = async (method: string, path: string, body?: unknown, uid = "alice"): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: bearer(uid), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it("recomputes stored statistics of a finished week when a late upload arrives", async () => {
    const before = (await get(`/v1/stats/weekly?week=${WEEK}`)).json as unknown as WeeklyStats;
    const sunday = seoulDayStart(addDays(MONDAY, 6));
    // Fixes the phone had not uploaded yet, between the fixture's own on Sunday afternoon.
    const late = Array.from({ length: 90 }, (_, i) => ({ t: sunday + 14 * HOUR + i * 60_000 + 30_000, lat: HOME.lat + 0.036, lng: HOME.lng }));
    assert.equal((await send("POST", "/v1/gps-logs", { points: late })).status, 200);
    const stored = (await harness.stores.gps.getWeeklyStats("alice", WEEK)) as WeeklyStats;
    assert.equal(stored.figures.pointCount, before.figures.pointCount + 90);
    assert.notDeepEqual(stored.figures, before.figures);
  });

  it("recomputes a stored week two weeks on when a late upload changes the Sunday its comparison week starts after", async function () {
    this.timeout(20_000);
    const sunday = seoulDayStart("2026-11-08");
    const monday = sunday + 24 * HOUR;
    const place = { lat: 37.6, lng: 127.1 };
    const at = (from: number, to: number, loc: { lat: number; lng: number }): { t: number; lat: number; lng: number }[] =>
      Array.from({ length: (to - from) / 30_000 }, (_, i) => ({ t: from + i * 30_000, ...loc }));
    // Monday 00:00–00:04:30 at a place, then driving away (fixes 300 m apart) until the logger stops: alone it is too
    // short for a stay; with the Sunday before, it is one.
    const away = at(monday + 4.5 * 60_000, monday + 7.5 * 60_000, place).map((p, i) => ({ ...p, lat: 37.7 + i * 0.0027 }));
    const early = [...at(monday, monday + 4.5 * 60_000, place), ...away];
    const later = at(seoulDayStart("2026-11-18") + 10 * HOUR, seoulDayStart("2026-11-18") + 11 * HOUR, HOME);
    assert.equal((await send("POST", "/v1/gps-logs", { points: [...early, ...later] }, "dave")).status, 200);
    const before = (await get(`/v1/stats/weekly?week=${WEEK}`, "dave")).json as unknown as WeeklyStats;
    assert.equal(before.previous?.stayCount, 0);
    assert.deepEqual(await harness.stores.gps.getWeeklyStats("dave", WEEK), before);
    const late = at(sunday + 23 * HOUR + 50 * 60_000, monday, place);
    assert.equal((await send("POST", "/v1/gps-logs", { points: late }, "dave")).status, 200);
    const stored = (await harness.stores.gps.getWeeklyStats("dave", WEEK)) as WeeklyStats;
    assert.equal(stored.previous?.stayCount, 1);
    assert.deepEqual(stored, await refreshWeeklyStats(harness.stores.gps, "dave", WEEK, false));
  });

  it("lets the user label places, which then categorise stays", async () => {
    const park = { id: "park", name: "한강공원", category: "park", lat: 37.523, lng: 126.97, radiusMeters: 200 };
    const parkFields = { name: park.name, category: park.category, lat: park.lat, lng: park.lng, radiusMeters: park.radiusMeters };
    const put = await send("PUT", "/v1/places/park", parkFields, "carol");
    assert.equal(put.status, 200, JSON.stringify(put.json));
    assert.deepEqual(put.json, { place: park });
    assert.equal((await send("PUT", "/v1/places/park", parkFields, "carol")).status, 200, "PUT is idempotent");
    assert.deepEqual((await send("GET", "/v1/places", undefined, "carol")).json, { places: [park] });
    assert.deepEqual((await send("GET", "/v1/places", undefined, "alice")).json, { places: [GYM_LABEL] });
    for (const bad of [{ ...park, category: "moving" }, { ...park, category: "a.b" }, { ...park, radiusMeters: 1 }, { ...park, id: "../x" }, { ...park, lat: 91 }]) {
      assert.equal((await send("PUT", "/v1/places", bad, "carol")).status, 400, JSON.stringify(bad));
    }
    assert.equal((await send("PUT", "/v1/places/..%2Fx", parkFields, "carol")).status, 400);
    assert.equal((await send("DELETE", "/v1/places/park", undefined, "carol")).status, 200);
    assert.equal((await send("DELETE", "/v1/places/park", undefined, "carol")).status, 404);
    assert.deepEqual((await send("GET", "/v1/places", undefined, "carol")).json, { places: [] });
  });

  it("keeps the old place forms answering, marked deprecated with a successor", async () => {
    const park = { id: "park2", name: "공원", category: "park", lat: 37.523, lng: 126.97, radiusMeters: 200 };
    const res = await fetch(`${server.url}/v1/places`, {
      method: "PUT",
      headers: { authorization: bearer("erin"), "content-type": "application/json" },
      body: JSON.stringify(park),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("deprecation") ?? "", /^@\d+$/);
    assert.match(res.headers.get("sunset") ?? "", /GMT$/);
    assert.equal(res.headers.get("link"), '</v1/places/{id}>; rel="successor-version"');
    const removed = await fetch(`${server.url}/v1/places?id=park2`, { method: "DELETE", headers: { authorization: bearer("erin") } });
    assert.equal(removed.status, 200);
    assert.match(removed.headers.get("deprecation") ?? "", /^@\d+$/);
    assert.equal((await send("DELETE", "/v1/places?id=park2", undefined, "erin")).status, 404);
    assert.equal((await send("DELETE", "/v1/places", undefined, "erin")).status, 400);
  });
});
