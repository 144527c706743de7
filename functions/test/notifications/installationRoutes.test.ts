import { strict as assert } from "node:assert";
import { createApiHandler } from "../../src/http/pipeline";
import { buildRoutes } from "../../src/api/routes";
import { bearer, fakeVerifier } from "../support/fakeVerifier";
import { WAKEUP_TOPIC } from "../../src/notifications/topics";
import { FCM_ERRORS, FakeFcm, fakeToken } from "../support/fakeFcm";
import { serve } from "../support/http";
import { inMemoryApiDeps } from "../support/inMemoryApiDeps";

interface ErrorBody {
  error: string;
  details?: { path: string; message: string }[];
}

describe("notifications/installationRoutes (api)", () => {
  let server: Awaited<ReturnType<typeof serve>>;
  let api: ReturnType<typeof inMemoryApiDeps>;
  let subscribeFailures: Error[];
  const dead = new Set<string>();

  beforeEach(async () => {
    subscribeFailures = [];
    dead.clear();
    const fcm = new FakeFcm({ isDead: (token) => dead.has(token), failSubscribe: () => subscribeFailures.shift() });
    api = inMemoryApiDeps({ fcm });
    server = await serve(createApiHandler({ verifier: fakeVerifier, routes: buildRoutes(api.deps), corsOrigins: () => [] }));
  });
  const subscribed = () => api.stores.topics.subscribers(WAKEUP_TOPIC);
  afterEach(async () => {
    await server.close();
  });

  const call = (method: string, uid: string, body: unknown) =>
    fetch(`${server.url}/v1/installations`, {
      method,
      headers: { authorization: bearer(uid), "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  const registration = { installationId: "fid_0000000001", fcmToken: fakeToken(1), platform: "android", appVersion: "3.1.0", timeZone: "Asia/Seoul" };

  it("registers (201) and refreshes (200) the caller's installation, keeping its token subscribed to the wake-up topic", async () => {
    const created = await call("PUT", "alice", registration);
    assert.equal(created.status, 201);
    assert.deepEqual(await created.json(), { installationId: "fid_0000000001", created: true, replaced: 0 });
    assert.deepEqual(subscribed(), [fakeToken(1)]);
    const refreshed = await call("PUT", "alice", { ...registration, fcmToken: fakeToken(2) });
    assert.equal(refreshed.status, 200);
    const stored = await api.stores.installations.get("fid_0000000001");
    assert.equal(stored?.uid, "alice");
    assert.equal(stored?.fcmToken, fakeToken(2));
    assert.equal(stored?.updatedAt, api.deps.now());
    assert.deepEqual(subscribed(), [fakeToken(2)], "the refreshed-away token no installation holds is unsubscribed");
  });

  it("never reassigns an installation id another user registered: 409, and nothing changes", async () => {
    await call("PUT", "alice", registration);
    const before = { stored: await api.stores.installations.get("fid_0000000001"), subscribed: subscribed(), writes: api.writes.count() };
    const taken = await call("PUT", "bob", { ...registration, fcmToken: fakeToken(9) });
    assert.equal(taken.status, 409);
    assert.equal(((await taken.json()) as ErrorBody).error, "installation_owned_by_another_user");
    assert.deepEqual({ stored: await api.stores.installations.get("fid_0000000001"), subscribed: subscribed(), writes: api.writes.count() }, before);
    assert.equal((await call("DELETE", "alice", { installationId: "fid_0000000001" })).status, 200, "the owner can still remove it");
  });

  it("registering another user's token changes nothing of theirs, and neither does removing it", async () => {
    await call("PUT", "alice", registration);
    const alices = await api.stores.installations.get("fid_0000000001");
    const bobs = await call("PUT", "bob", { ...registration, installationId: "fid_0000000002" });
    assert.equal(bobs.status, 201);
    assert.deepEqual(await bobs.json(), { installationId: "fid_0000000002", created: true, replaced: 0 });
    assert.deepEqual(await api.stores.installations.get("fid_0000000001"), alices);
    assert.equal((await call("DELETE", "bob", { installationId: "fid_0000000002" })).status, 200);
    assert.deepEqual(subscribed(), [fakeToken(1)], "Alice's installation still holds the token, so it stays subscribed");
    assert.equal((await call("DELETE", "alice", { installationId: "fid_0000000001" })).status, 200);
    assert.deepEqual(subscribed(), []);
  });

  it("refuses a token FCM says is dead (400) and keeps no installation for it", async () => {
    dead.add(fakeToken(1));
    const res = await call("PUT", "alice", registration);
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: "fcm_token_rejected", details: { code: "messaging/registration-token-not-registered" } });
    assert.equal(await api.stores.installations.get("fid_0000000001"), undefined);
  });

  it("answers 503 with Retry-After when FCM cannot subscribe, and the app's retry subscribes", async () => {
    subscribeFailures.push(FCM_ERRORS.internal());
    const res = await call("PUT", "alice", registration);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get("retry-after"), "60");
    assert.deepEqual(subscribed(), []);
    assert.equal((await call("PUT", "alice", registration)).status, 200);
    assert.deepEqual(subscribed(), [fakeToken(1)]);
  });

  it("refuses \"abc\", \"\" and implausible tokens with 400 saying why, and writes nothing", async () => {
    const cases: [unknown, RegExp][] = [
      ["abc", /placeholder/],
      ["", /empty/],
      ["short-token", /at least 100/],
      ["f".repeat(64), /APNs/],
      [12345, /string/],
    ];
    for (const [fcmToken, why] of cases) {
      const res = await call("PUT", "alice", { ...registration, fcmToken });
      assert.equal(res.status, 400, String(fcmToken));
      const body = (await res.json()) as ErrorBody;
      assert.equal(body.error, "invalid_body");
      assert.equal(body.details?.[0]?.path, "fcmToken");
      assert.match(body.details?.[0]?.message ?? "", why);
    }
    assert.equal(api.writes.count(), 0);
  });

  it("refuses a missing body, a wrong platform and unknown fields", async () => {
    const empty = await fetch(`${server.url}/v1/installations`, { method: "PUT", headers: { authorization: bearer("alice") } });
    assert.equal(empty.status, 400);
    const web = await call("PUT", "alice", { ...registration, platform: "web" });
    assert.equal(((await web.json()) as ErrorBody).details?.[0]?.path, "platform");
    const extra = await call("PUT", "alice", { ...registration, uid: "bob" });
    assert.equal(extra.status, 400, "the uid comes from the ID token, never from the body");
  });

  it("moves a token between the caller's own installations", async () => {
    await call("PUT", "alice", registration);
    const moved = await call("PUT", "alice", { ...registration, installationId: "fid_0000000002" });
    assert.deepEqual(await moved.json(), { installationId: "fid_0000000002", created: true, replaced: 1 });
    assert.equal(await api.stores.installations.get("fid_0000000001"), undefined);
    assert.deepEqual(subscribed(), [fakeToken(1)]);
  });

  it("unregisters only the caller's own installation", async () => {
    await call("PUT", "alice", registration);
    const other = await call("DELETE", "mallory", { installationId: "fid_0000000001" });
    assert.equal(other.status, 404);
    const mine = await call("DELETE", "alice", { installationId: "fid_0000000001" });
    assert.equal(mine.status, 200);
    assert.deepEqual(await mine.json(), { installationId: "fid_0000000001", removed: true });
    assert.equal(await api.stores.installations.get("fid_0000000001"), undefined);
    assert.deepEqual(subscribed(), [], "a signed-out device is no longer woken");
    const bad = await call("DELETE", "alice", { installationId: "x" });
    assert.equal(bad.status, 400);
  });

  it("PUT /v1/installations/{id} registers idempotently and DELETE /v1/installations/{id} removes; the body forms answer deprecated", async () => {
    const { installationId, ...fields } = registration;
    const at = (method: string, id: string, body?: unknown) =>
      fetch(`${server.url}/v1/installations/${id}`, {
        method,
        headers: { authorization: bearer("alice"), ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    assert.equal((await at("PUT", installationId, fields)).status, 201);
    const again = await at("PUT", installationId, fields);
    assert.equal(again.status, 200);
    assert.equal(again.headers.get("deprecation"), null);
    assert.equal((await api.stores.installations.get(installationId))?.uid, "alice");
    assert.equal((await at("DELETE", "not/valid")).status, 404);
    assert.equal((await at("DELETE", "x")).status, 400);
    assert.equal((await at("DELETE", installationId)).status, 200);
    assert.equal((await at("DELETE", installationId)).status, 404);
    const old = await call("PUT", "alice", registration);
    assert.equal(old.status, 201);
    assert.match(old.headers.get("deprecation") ?? "", /^@\d+$/);
    assert.equal(old.headers.get("link"), '</v1/installations/{id}>; rel="successor-version"');
    const oldDelete = await call("DELETE", "alice", { installationId });
    assert.equal(oldDelete.status, 200);
    assert.match(oldDelete.headers.get("sunset") ?? "", /GMT$/);
  });
});
