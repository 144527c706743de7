import { strict as assert } from "node:assert";
import { createApiHandler } from "../../src/http/api";
import { buildRoutes } from "../../src/http/routes";
import { bearer, fakeVerifier } from "../support/fakeVerifier";
import { fakeToken } from "../support/fakePushTransport";
import { serve } from "../support/http";
import { inMemoryApiDeps } from "../support/inMemoryApiDeps";

interface ErrorBody {
  error: string;
  details?: { path: string; message: string }[];
}

describe("notifications/installationRoutes (api)", () => {
  let server: Awaited<ReturnType<typeof serve>>;
  let api: ReturnType<typeof inMemoryApiDeps>;

  beforeEach(async () => {
    api = inMemoryApiDeps();
    server = await serve(createApiHandler({ verifier: fakeVerifier, routes: buildRoutes(api.deps), corsOrigins: () => [] }));
  });
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

  it("registers (201) and refreshes (200) the caller's installation under the caller's uid", async () => {
    const created = await call("PUT", "alice", registration);
    assert.equal(created.status, 201);
    assert.deepEqual(await created.json(), { installationId: "fid_0000000001", created: true, replaced: 0 });
    const refreshed = await call("PUT", "alice", { ...registration, fcmToken: fakeToken(2) });
    assert.equal(refreshed.status, 200);
    const stored = await api.stores.installations.get("fid_0000000001");
    assert.equal(stored?.uid, "alice");
    assert.equal(stored?.fcmToken, fakeToken(2));
    assert.equal(stored?.updatedAt, api.deps.now());
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

  it("moves a token to the installation that registers it last", async () => {
    await call("PUT", "alice", registration);
    const moved = await call("PUT", "bob", { ...registration, installationId: "fid_0000000002" });
    assert.deepEqual(await moved.json(), { installationId: "fid_0000000002", created: true, replaced: 1 });
    assert.equal(await api.stores.installations.get("fid_0000000001"), undefined);
  });

  it("unregisters only the caller's own installation", async () => {
    await call("PUT", "alice", registration);
    const other = await call("DELETE", "mallory", { installationId: "fid_0000000001" });
    assert.equal(other.status, 404);
    const mine = await call("DELETE", "alice", { installationId: "fid_0000000001" });
    assert.equal(mine.status, 200);
    assert.deepEqual(await mine.json(), { installationId: "fid_0000000001", removed: true });
    assert.equal(await api.stores.installations.get("fid_0000000001"), undefined);
    const bad = await call("DELETE", "alice", { installationId: "x" });
    assert.equal(bad.status, 400);
  });
});
