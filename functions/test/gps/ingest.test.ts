import { strict as assert } from "node:assert";
import { createApiHandler } from "../../src/http/pipeline";
import { buildRoutes } from "../../src/api/routes";
import { InMemoryRateLimiter } from "../../src/http/rateLimit";
import { seoulDayStart } from "../../src/core/seoulTime";
import { MAX_POINTS_PER_DAY } from "../../src/gps/points";
import { MAX_POINTS_PER_REQUEST } from "../../src/gps/schema";
import { StoreContendedError } from "../../src/gps/store";
import { bearer, fakeVerifier } from "../support/fakeVerifier";
import { serve } from "../support/http";
import { inMemoryApiDeps } from "../support/inMemoryApiDeps";
import { makeTrack, mulberry32 } from "./tracks";

const NOW = Date.parse("2026-11-26T12:00:00.000Z");
const DAY = "2026-11-25";
const DAY0 = seoulDayStart(DAY);

interface Api {
  url: string;
  close: () => Promise<void>;
  harness: ReturnType<typeof inMemoryApiDeps>;
}

async function startApi(): Promise<Api> {
  const harness = inMemoryApiDeps({ now: () => NOW });
  const server = await serve(createApiHandler({ verifier: fakeVerifier, routes: buildRoutes(harness.deps), corsOrigins: () => [] }));
  return { ...server, harness };
}

async function post(api: Api, path: string, body: unknown, uid: string | null = "alice"): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${api.url}${path}`, {
    method: "POST",
    headers: { ...(uid ? { authorization: bearer(uid) } : {}), "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** One Seoul day sampled every 30 s: 2,880 points. */
function dayOfPoints(start = DAY0, n = 2_880): { t: number; lat: number; lng: number; accuracy: number }[] {
  return Array.from({ length: n }, (_, i) => ({ t: start + i * 30_000, lat: 37.5 + i * 1e-5, lng: 127 + i * 1e-5, accuracy: 8 }));
}

describe("GPS ingestion over HTTP", () => {
  let api: Api;
  beforeEach(async () => {
    api = await startApi();
  });

  it("answers 429 upload_quota_exceeded once a user's daily point quota is spent; other users keep theirs", async () => {
    const harness = inMemoryApiDeps({ now: () => NOW });
    const uploadQuota = new InMemoryRateLimiter({ capacity: 3_000, refillPerSecond: 3_000 / 86_400, now: () => NOW });
    const server = await serve(createApiHandler({ verifier: fakeVerifier, routes: buildRoutes({ ...harness.deps, uploadQuota }), corsOrigins: () => [] }));
    try {
      const quotaApi = { ...server, harness };
      assert.equal((await post(quotaApi, "/v1/gps-logs", { points: dayOfPoints(DAY0, 2_000) })).status, 200);
      const refused = await post(quotaApi, "/v1/gps-logs", { points: dayOfPoints(DAY0 + 2_000 * 30_000, 1_500) });
      assert.equal(refused.status, 429);
      assert.equal(refused.json.error, "upload_quota_exceeded");
      assert.ok(Number((refused.json.details as { retryAfterSeconds: number }).retryAfterSeconds) > 0);
      assert.equal((await post(quotaApi, "/v1/gps-logs", { points: dayOfPoints(DAY0, 2_000) }, "bob")).status, 200, "other users keep their quota");
    } finally {
      await server.close();
    }
  });
  afterEach(async () => {
    await api.close();
  });

  it("stores a day in one bucket write, and a retry writes nothing", async () => {
    const points = dayOfPoints();
    const first = await post(api, "/v1/gps-logs", { points });
    assert.equal(first.status, 200, JSON.stringify(first.json));
    assert.deepEqual(first.json, { received: 2_880, inserted: 2_880, duplicates: 0, days: [DAY] });
    assert.equal(api.harness.stores.gps.bucketWrites, 1);
    const again = await post(api, "/v1/gps-logs", { points });
    assert.deepEqual(again.json, { received: 2_880, inserted: 0, duplicates: 2_880, days: [DAY] });
    assert.equal(api.harness.stores.gps.bucketWrites, 1);
    console.log(`      bucket writes: 1 for 2,880 points, 0 for the re-send of them`);
    const stored = await api.harness.stores.gps.readDays("alice", [DAY]);
    assert.equal(stored.length, 2_880);
    assert.deepEqual(stored[0], { t: DAY0, lat: 37.5, lng: 127, accuracy: 8 });
  });

  it("accepts ISO-8601 times with an offset and epoch ms alike, in any order and partition", async () => {
    const points = dayOfPoints(DAY0, 600);
    const rnd = mulberry32(5);
    const shuffled = points.map((p, i) => (i % 2 ? { ...p, t: `${new Date(p.t + 9 * 3_600_000).toISOString().slice(0, 23)}+09:00` } : p));
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const writesPerRequest: number[] = [];
    for (let i = 0; i < shuffled.length; ) {
      const size = 1 + Math.floor(rnd() * 150);
      const before = api.harness.stores.gps.bucketWrites;
      const res = await post(api, "/v1/gps-logs", { points: shuffled.slice(i, i + size) });
      assert.equal(res.status, 200);
      writesPerRequest.push(api.harness.stores.gps.bucketWrites - before);
      i += size;
    }
    assert.ok(writesPerRequest.every((w) => w === 1));
    const stored = await api.harness.stores.gps.readDays("alice", [DAY]);
    assert.deepEqual(stored.map((p) => p.t), points.map((p) => p.t));
  });

  it("keeps within one bucket write per 500 points for a week uploaded in three requests", async () => {
    const week = dayOfPoints(seoulDayStart("2026-11-16"), 7 * 2_880);
    let writes = 0;
    for (let i = 0; i < week.length; i += MAX_POINTS_PER_REQUEST) {
      const chunk = week.slice(i, i + MAX_POINTS_PER_REQUEST);
      const before = api.harness.stores.gps.bucketWrites;
      const res = await post(api, "/v1/gps-logs", { points: chunk });
      assert.equal(res.status, 200);
      const w = api.harness.stores.gps.bucketWrites - before;
      assert.ok(w <= Math.ceil(chunk.length / 500), `${w} writes for ${chunk.length} points`);
      writes += w;
    }
    console.log(`      bucket writes: ${writes} for ${week.length} points in 3 requests (one per day touched)`);
    assert.equal(writes, 9);
  });

  it("rejects a body with bad points whole, listing the first offending indexes", async () => {
    const points: unknown[] = dayOfPoints(DAY0, 50);
    points[3] = { t: DAY0, lat: 95, lng: 127 };
    points[7] = { t: NOW + 3_600_000, lat: 37.5, lng: 127 };
    points[9] = { t: Date.UTC(1999, 11, 31), lat: 37.5, lng: 127 };
    points[11] = { t: "2026-11-25T09:00:00", lat: 37.5, lng: 127 };
    points[12] = { t: DAY0, lat: 37.5 };
    points[13] = { t: DAY0, lat: "37.5", lng: 127 };
    points[14] = "nope";
    const res = await post(api, "/v1/gps-logs", { points });
    assert.equal(res.status, 400);
    assert.equal(res.json.error, "invalid_points");
    const details = res.json.details as { invalidCount: number; first: { index: number; issues: { path: string }[] }[] };
    assert.equal(details.invalidCount, 7);
    assert.deepEqual(details.first.map((f) => f.index), [3, 7, 9, 11, 12, 13, 14]);
    assert.equal(details.first[0]!.issues[0]!.path, "lat");
    assert.equal(api.harness.writes.count(), 0);
    assert.equal(api.harness.stores.gps.bucketWrites, 0);

    const many = dayOfPoints(DAY0, 100).map((p) => ({ ...p, lat: 200 }));
    const capped = await post(api, "/v1/gps-logs", { points: many });
    assert.equal((capped.json.details as { first: unknown[] }).first.length, 20);
    assert.equal((capped.json.details as { invalidCount: number }).invalidCount, 100);
  });

  it("rejects malformed bodies with a JSON 400", async () => {
    for (const body of [{}, { points: "x" }, [], { timeSequence: [] }]) {
      const res = await post(api, "/v1/gps-logs", body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.error, "invalid_body");
    }
    const legacy = await post(api, "/path/daily", { points: [] });
    assert.equal(legacy.status, 400);
    assert.equal(api.harness.writes.count(), 0);
  });

  it("refuses more points or bytes than documented with 413", async () => {
    const tooMany = await post(api, "/v1/gps-logs", { points: dayOfPoints(DAY0, MAX_POINTS_PER_REQUEST + 1) });
    assert.equal(tooMany.status, 413);
    assert.deepEqual(tooMany.json, { error: "too_many_points", details: { maxPoints: MAX_POINTS_PER_REQUEST, received: MAX_POINTS_PER_REQUEST + 1 } });
    const huge = await post(api, "/v1/gps-logs", { points: dayOfPoints(DAY0, 10).map((p) => ({ ...p, pad: "x".repeat(120_000) })) });
    assert.equal(huge.status, 413);
    assert.deepEqual(huge.json, { error: "payload_too_large", details: { maxBytes: 1024 * 1024 } });
    const spread = Array.from({ length: 32 }, (_, i) => ({ t: DAY0 - i * 86_400_000, lat: 37.5, lng: 127 }));
    const days = await post(api, "/v1/gps-logs", { points: spread });
    assert.equal(days.status, 413);
    assert.deepEqual(days.json, { error: "too_many_days", details: { maxDays: 31, received: 32 } });
    assert.equal(api.harness.writes.count(), 0);
    assert.equal((await post(api, "/v1/gps-logs", { points: spread.slice(1) })).status, 200);
    assert.equal(api.harness.stores.gps.bucketWrites, 31);
  });

  it("refuses to grow a day past its bucket capacity, writing nothing", async () => {
    for (let i = 0; i < MAX_POINTS_PER_DAY; i += MAX_POINTS_PER_REQUEST) {
      const chunk = Array.from({ length: MAX_POINTS_PER_REQUEST }, (_, j) => ({ t: DAY0 + (i + j) * 2_000, lat: 37.5, lng: 127 }));
      assert.equal((await post(api, "/v1/gps-logs", { points: chunk })).status, 200);
    }
    const writes = api.harness.stores.gps.bucketWrites;
    const over = await post(api, "/v1/gps-logs", { points: [{ t: DAY0 + 1, lat: 37.5, lng: 127 }, { t: DAY0 + 86_400_000, lat: 37.5, lng: 127 }] });
    assert.equal(over.status, 413);
    assert.equal(over.json.error, "day_capacity_exceeded");
    assert.equal(api.harness.stores.gps.bucketWrites, writes);
    assert.equal((await api.harness.stores.gps.readDays("alice", ["2026-11-26"])).length, 0);
  });

  it("refuses an unauthenticated upload", async () => {
    const res = await post(api, "/v1/gps-logs", { points: dayOfPoints(DAY0, 3) }, null);
    assert.equal(res.status, 401);
    assert.equal(api.harness.writes.count(), 0);
  });

  it("accepts the original app's body at /path/daily, under the token's uid whatever the body says", async () => {
    const body = {
      user: "mallory",
      uuid: "mallory",
      fcmToken: "abc",
      timeSequence: [
        { coordinate: { latitude: 37.5, longitude: 127 }, time: "2026-11-25 09:00:00" },
        { coordinate: { latitude: 37.5001, longitude: 127 }, time: DAY0 + 10 * 3_600_000 },
        { coordinate: { latitude: 37.5002, longitude: 127 }, time: "2026-11-25T11:00:00+09:00" },
        { coordinate: { latitude: 37.5003, longitude: 127 }, time: String(DAY0 + 12 * 3_600_000) },
      ],
    };
    const res = await post(api, "/path/daily", body);
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(res.json.inserted, 4);
    const stored = await api.harness.stores.gps.readDays("alice", [DAY]);
    assert.deepEqual(stored.map((p) => (p.t - DAY0) / 3_600_000), [9, 10, 11, 12]);
    assert.deepEqual(await api.harness.stores.gps.readDays("mallory", [DAY]), []);
    const v1 = await post(api, "/v1/gps-logs", { uid: "mallory", user: "mallory", points: [{ t: DAY0 + 13 * 3_600_000, lat: 37.5, lng: 127 }] });
    assert.equal(v1.status, 200, JSON.stringify(v1.json));
    assert.equal((await api.harness.stores.gps.readDays("alice", [DAY])).length, 5);
    assert.deepEqual(await api.harness.stores.gps.readDays("mallory", [DAY]), []);
    const bad = await post(api, "/path/daily", { user: "alice", timeSequence: [{ coordinate: { latitude: 37.5 }, time: "yesterday" }] });
    assert.equal(bad.status, 400);
    assert.deepEqual((bad.json.details as { first: { index: number }[] }).first.map((f) => f.index), [0]);
  });

  it("names each invalid point's index, field and reason in words, never a bare \"Invalid input\"", async () => {
    const ok = { t: DAY0, lat: 37.5, lng: 127 };
    const points = [
      ok,
      { ...ok, t: "2026-11-25T09:30:00" },
      { ...ok, t: 1.5 },
      { ...ok, t: "2026-02-30T09:30:00+09:00" },
      { ...ok, lat: 91 },
      { t: DAY0, lng: 127 },
      { ...ok, t: true },
      "a point",
      { ...ok, t: Date.parse("2040-01-01T00:00:00Z") },
    ];
    const res = await post(api, "/v1/gps-logs", { points });
    assert.equal(res.status, 400);
    const details = res.json.details as { invalidCount: number; first: { index: number; issues: { path: string; message: string }[] }[] };
    assert.equal(details.invalidCount, 8);
    const byIndex = new Map(details.first.map((f) => [f.index, f.issues.map((i) => `${i.path}: ${i.message}`)]));
    assert.match(byIndex.get(1)?.[0] ?? "", /^t: expected ISO-8601 with an offset/);
    assert.deepEqual(byIndex.get(2), ["t: epoch milliseconds must be an integer"]);
    assert.deepEqual(byIndex.get(3), ["t: not a calendar date"]);
    assert.match(byIndex.get(4)?.[0] ?? "", /^lat: out of range: must be <= 90/);
    assert.deepEqual(byIndex.get(5), ["lat: missing"]);
    assert.deepEqual(byIndex.get(6), ["t: expected number or string, received boolean"]);
    assert.deepEqual(byIndex.get(7), [": expected object, received string"]);
    assert.match(byIndex.get(8)?.[0] ?? "", /^t: outside 2000-01-01T00:00:00.000Z \.\. now \+ 10 min/);
    assert.doesNotMatch(JSON.stringify(res.json), /Invalid input/i);
    const legacy = await post(api, "/path/daily", { timeSequence: [{ coordinate: { latitude: 37.5, longitude: 127 }, time: "2026-02-30 10:00:00" }, { coordinate: {}, time: 1 }] });
    assert.equal(legacy.status, 400);
    const legacyText = JSON.stringify(legacy.json);
    assert.match(legacyText, /not a calendar date/);
    assert.match(legacyText, /"path":"coordinate.latitude","message":"missing"/);
    assert.doesNotMatch(legacyText, /Invalid input/i);
  });

  it("gives the same daily path for one upload, a few, or one point per upload, in any order, with retries", async () => {
    const track = makeTrack({ seed: 9, startMs: DAY0 + 8 * 3_600_000, stays: [{ minutes: 40 }, { minutes: 25 }, { minutes: 60 }], sampleMs: 60_000 });
    const points = track.points;
    const pathOf = async (uid: string): Promise<unknown> => {
      const res = await fetch(`${api.url}/v1/paths/daily?date=${DAY}`, { headers: { authorization: bearer(uid) } });
      assert.equal(res.status, 200);
      return res.json();
    };
    await post(api, "/v1/gps-logs", { points }, "one");
    const expected = await pathOf("one");
    assert.equal((expected as { stays: unknown[] }).stays.length, 3);
    const rnd = mulberry32(77);
    const shuffle = <T>(xs: T[]): T[] => xs.map((x) => [rnd(), x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);
    const scenarios: [string, (typeof points)[]][] = [
      ["three", [points.slice(0, 50), points.slice(50, 120), points.slice(120)]],
      ["single", points.map((p) => [p])],
    ];
    for (const [uid, uploads] of scenarios) {
      const withRetries = shuffle([...uploads, ...uploads.filter(() => rnd() < 0.2)]);
      for (const u of withRetries) assert.equal((await post(api, "/v1/gps-logs", { points: shuffle(u) }, uid)).status, 200);
      assert.deepEqual(await pathOf(uid), expected, uid);
    }
  });
});

describe("GPS upload under contention", () => {
  it("answers a JSON 503 upload_contended with Retry-After, never a 500, when the store stayed contended", async () => {
    const harness = inMemoryApiDeps({ now: () => NOW });
    harness.stores.gps.addPoints = () => Promise.reject(new StoreContendedError(Object.assign(new Error("10 ABORTED: Transaction lock timeout"), { code: 10 })));
    const server = await serve(createApiHandler({ verifier: fakeVerifier, routes: buildRoutes(harness.deps), corsOrigins: () => [] }));
    try {
      const res = await fetch(`${server.url}/v1/gps-logs`, {
        method: "POST",
        headers: { authorization: bearer("alice"), "content-type": "application/json" },
        body: JSON.stringify({ points: [{ t: DAY0, lat: 37.5, lng: 127 }] }),
      });
      assert.equal(res.status, 503);
      assert.equal(res.headers.get("retry-after"), "2");
      assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
      assert.deepEqual(await res.json(), { error: "upload_contended", details: { retryAfterSeconds: 2, stored: 0 } });
    } finally {
      await server.close();
    }
  });
});
