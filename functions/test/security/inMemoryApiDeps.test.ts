import { strict as assert } from "node:assert";
import { createApiHandler } from "../../src/http/pipeline";
import { buildRoutes } from "../../src/api/routes";
import { bearer, fakeVerifier } from "../support/fakeVerifier";
import { serve } from "../support/http";
import { fingerprint, inMemoryApiDeps } from "../support/inMemoryApiDeps";

const FCM_TOKEN = `fakeInstance:${"A".repeat(140)}`;

/** A valid request to a route of `buildRoutes`, with the writes it must cause (`store.method`; none for a read). */
interface Control {
  route: string;
  /** The concrete path, when the route's has parameters. */
  path?: string;
  query?: string;
  body?: unknown;
  writes: string[];
}

// In order: each request finds what the ones before it stored. The finished week W47 (Mon 2026-11-16) gets points
// (and with them its statistics), then a late upload, so every write method a route can reach runs once.
const AT_W47 = Date.parse("2026-11-18T01:00:00.000Z");
const HOME = { name: "집", category: "home", lat: 37.5, lng: 127, radiusMeters: 100 };
const CONTROLS: Control[] = [
  { route: "GET /v1/me", writes: [] },
  { route: "GET /v1/openapi.json", writes: [] },
  {
    route: "PUT /v1/installations/{id}",
    path: "/v1/installations/inst-00000002",
    body: { fcmToken: `${FCM_TOKEN}b`, platform: "android" },
    writes: ["installations.register", "topics.subscribe"],
  },
  { route: "PUT /v1/installations", body: { installationId: "inst-00000001", fcmToken: FCM_TOKEN, platform: "ios" }, writes: ["installations.register", "topics.subscribe"] },
  {
    route: "POST /v1/gps-logs",
    body: { points: [0, 1, 2, 3].map((i) => ({ t: AT_W47 + i * 20 * 60_000, lat: 37.5, lng: 127 })) },
    writes: ["gps.addPoints", "gps.putWeeklyStats"],
  },
  { route: "GET /v1/stats/weekly", query: "week=2026-W47", writes: [] },
  {
    route: "POST /path/daily",
    body: { user: "someone-else", timeSequence: [{ coordinate: { latitude: 37.6, longitude: 127.1 }, time: AT_W47 + 3 * 3_600_000 }] },
    writes: ["gps.addPoints", "gps.putWeeklyStats"],
  },
  { route: "PUT /v1/places/{id}", path: "/v1/places/work", body: { ...HOME, category: "work" }, writes: ["gps.putPlace"] },
  { route: "PUT /v1/places", body: { id: "home", ...HOME }, writes: ["gps.putPlace"] },
  { route: "GET /v1/places", writes: [] },
  { route: "GET /v1/paths/daily", query: "date=2026-11-18", writes: [] },
  { route: "DELETE /v1/places/{id}", path: "/v1/places/work", writes: ["gps.deletePlace"] },
  { route: "DELETE /v1/places", query: "id=home", writes: ["gps.deletePlace"] },
  { route: "DELETE /v1/installations/{id}", path: "/v1/installations/inst-00000002", writes: ["installations.unregister", "topics.unsubscribe"] },
  { route: "DELETE /v1/installations", body: { installationId: "inst-00000001" }, writes: ["installations.unregister", "topics.unsubscribe"] },
];

describe("in-memory api deps: the fuzz test's write counter", () => {
  it("counts a call that changes a store, not reads or no-op writes", async () => {
    const { deps, writes } = inMemoryApiDeps();
    assert.equal(await deps.installations.get("inst-00000001"), undefined);
    assert.equal(await deps.installations.unregister("alice", "inst-00000001"), undefined);
    assert.equal(writes.count(), 0);
    await deps.installations.register("alice", { installationId: "inst-00000001", fcmToken: FCM_TOKEN, platform: "ios" }, 1);
    assert.deepEqual(writes.calls(), ["installations.register"]);
    await deps.installations.get("inst-00000001");
    assert.equal(await deps.installations.unregister("bob", "inst-00000001"), undefined);
    assert.equal(writes.count(), 1);
    assert.equal((await deps.installations.unregister("alice", "inst-00000001"))?.uid, "alice");
    assert.deepEqual(writes.calls(), ["installations.register", "installations.unregister"]);
  });

  it("counts a write even when the call then fails", async () => {
    const { deps, writes } = inMemoryApiDeps();
    const store = deps.installations as unknown as { explode: () => Promise<void> };
    Object.defineProperty(deps.installations, "explode", {
      configurable: true,
      value(this: Record<string, unknown>) {
        this.scribble = 1;
        return Promise.reject(new Error("after writing"));
      },
    });
    await assert.rejects(store.explode());
    assert.deepEqual(writes.calls(), ["installations.explode"]);
  });

  it("fingerprints equal data equally and different data differently", () => {
    const a = { m: new Map([["k", [1, 2]]]), s: new Set(["x"]), d: new Date(5), b: new Float64Array([1.5]) };
    const b = { b: new Float64Array([1.5]), d: new Date(5), s: new Set(["x"]), m: new Map([["k", [1, 2]]]) };
    assert.equal(fingerprint(a), fingerprint(b));
    b.m.get("k")?.push(3);
    assert.notEqual(fingerprint(a), fingerprint(b));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(typeof fingerprint(cyclic), "string");
  });

  it("sees the writes of every store through every route of buildRoutes (the fuzz test's positive control)", async () => {
    const { deps, writes, stores } = inMemoryApiDeps();
    const routes = buildRoutes(deps);
    assert.deepEqual(
      CONTROLS.map((c) => c.route).sort(),
      routes.map((r) => `${r.method} ${r.path}`).sort(),
      "every route needs a control here",
    );
    const server = await serve(createApiHandler({ verifier: fakeVerifier, routes, corsOrigins: () => [] }));
    try {
      for (const control of CONTROLS) {
        const [method = "", template = ""] = control.route.split(" ");
        const path = control.path ?? template;
        const before = writes.count();
        const res = await fetch(`${server.url}${path}${control.query ? `?${control.query}` : ""}`, {
          method,
          headers: { authorization: bearer("alice"), "content-type": "application/json" },
          body: control.body === undefined ? undefined : JSON.stringify(control.body),
        });
        const text = await res.text();
        assert.ok(res.status >= 200 && res.status < 300, `${control.route}: ${res.status} ${text}`);
        assert.deepEqual([...new Set(writes.calls().slice(before))].sort(), [...control.writes].sort(), control.route);
      }
    } finally {
      await server.close();
    }
    const seen = new Set(writes.calls().map((call) => call.split(".")[0]));
    assert.deepEqual([...seen].sort(), Object.keys(stores).sort(), "a write of every store was counted");
  });
});
