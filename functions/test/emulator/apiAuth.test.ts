import { strict as assert } from "node:assert";
import { setTimeout as sleep } from "node:timers/promises";
import { auth } from "../../src/core/admin";
import { createApiHandler } from "../../src/http/pipeline";
import { adminIdTokenVerifier } from "../../src/core/idTokens";
import { HttpError } from "../../src/http/errors";
import { buildRoutes } from "../../src/api/routes";
import type { Route } from "../../src/http/types";
import { testRoute } from "../support/testRoute";
import { serve } from "../support/http";
import { inMemoryApiDeps } from "../support/inMemoryApiDeps";

/**
 * The api with real ID tokens minted by the Auth emulator and verified by the Admin SDK (revocation and disabled
 * checks included), served in-process over loopback with in-memory stores; then the deployed function once behind
 * the Functions emulator. Run under `firebase emulators:exec --only auth,functions`.
 */
const authHost = process.env.FIREBASE_AUTH_EMULATOR_HOST;
const hubHost = process.env.FIREBASE_EMULATOR_HUB;
const PROJECT = process.env.GCLOUD_PROJECT ?? "demo-wolley";

interface SignedIn {
  uid: string;
  idToken: string;
}

async function identityToolkit(method: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`http://${authHost}/identitytoolkit.googleapis.com/v1/accounts:${method}?key=fake-api-key`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  assert.equal(res.status, 200, `${method}: ${JSON.stringify(json)}`);
  return json;
}

let accounts = 0;
async function signUp(): Promise<SignedIn & { email: string; password: string }> {
  const email = `sec-${Date.now()}-${++accounts}@wolley.example`;
  const password = "correct-horse-battery";
  const json = await identityToolkit("signUp", { email, password, returnSecureToken: true });
  return { uid: String(json.localId), idToken: String(json.idToken), email, password };
}

async function signIn(email: string, password: string): Promise<SignedIn> {
  const json = await identityToolkit("signInWithPassword", { email, password, returnSecureToken: true });
  return { uid: String(json.localId), idToken: String(json.idToken) };
}

function claims(idToken: string): Record<string, unknown> {
  const payload = idToken.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}

/**
 * Revocation compares whole seconds (auth_time < tokensValidAfterTime), so a token minted in the same second as the
 * revocation still passes; wait (at most a second) until the clock has left the token's second.
 */
async function revokeAfterTokenSecond(uid: string, idToken: string): Promise<void> {
  const authTime = Number(claims(idToken).auth_time);
  for (let i = 0; i < 30 && Math.floor(Date.now() / 1000) <= authTime; i++) await sleep(50);
  await auth().revokeRefreshTokens(uid);
}

/** Test-only route: the shape every per-user resource must have, refusing a uid other than the caller's. */
const ownedRoute: Route = testRoute("GET", "/test/owned", ({ uid, query }) => {
  const owner = typeof query.uid === "string" ? query.uid : uid;
  if (owner !== uid) return Promise.reject(new HttpError(403, "not_owner"));
  return Promise.resolve({ status: 200, body: { owner } });
});

const FCM_TOKEN = `fakeInstance:${"A".repeat(140)}`;

describe("api with Auth emulator ID tokens", function () {
  this.timeout(30_000);
  let api: Awaited<ReturnType<typeof serve>>;
  let memory: ReturnType<typeof inMemoryApiDeps>;

  before(async function () {
    if (!authHost) {
      console.log("skipped: FIREBASE_AUTH_EMULATOR_HOST is unset (run under `firebase emulators:exec --only auth,functions`)");
      this.skip();
    }
    memory = inMemoryApiDeps();
    api = await serve(
      createApiHandler({ verifier: adminIdTokenVerifier, routes: [...buildRoutes(memory.deps), ownedRoute], corsOrigins: () => [] }),
    );
  });
  after(async () => {
    await api?.close();
  });

  const get = (path: string, idToken?: string) =>
    fetch(`${api.url}${path}`, { headers: idToken ? { authorization: `Bearer ${idToken}` } : {} });

  it("unauthenticated → JSON 401", async () => {
    const res = await get("/v1/me");
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { error: "missing_or_malformed_bearer_token", details: {} });
  });

  it("valid token → 2xx with the token's uid, and a registration is stored under it", async () => {
    const user = await signUp();
    const me = await get("/v1/me", user.idToken);
    assert.equal(me.status, 200);
    assert.deepEqual(await me.json(), { uid: user.uid });
    const put = await fetch(`${api.url}/v1/installations`, {
      method: "PUT",
      headers: { authorization: `Bearer ${user.idToken}`, "content-type": "application/json" },
      body: JSON.stringify({ installationId: "inst-valid-0001", fcmToken: FCM_TOKEN, platform: "android" }),
    });
    assert.equal(put.status, 201);
    assert.equal((await memory.stores.installations.get("inst-valid-0001"))?.uid, user.uid);
  });

  it("disabled user → 401, and enabled again → 200", async () => {
    const user = await signUp();
    await auth().updateUser(user.uid, { disabled: true });
    const refused = await get("/v1/me", user.idToken);
    assert.equal(refused.status, 401);
    assert.deepEqual(await refused.json(), { error: "invalid_token", details: {} });
    await auth().updateUser(user.uid, { disabled: false });
    assert.equal((await get("/v1/me", user.idToken)).status, 200);
  });

  it("revoked token → 401, while a token minted after the revocation works", async () => {
    const user = await signUp();
    assert.equal((await get("/v1/me", user.idToken)).status, 200);
    await revokeAfterTokenSecond(user.uid, user.idToken);
    const refused = await get("/v1/me", user.idToken);
    assert.equal(refused.status, 401);
    assert.deepEqual(await refused.json(), { error: "invalid_token", details: {} });
    const fresh = await signIn(user.email, user.password);
    assert.equal((await get("/v1/me", fresh.idToken)).status, 200);
  });

  it("custom claims set through the Admin SDK reach the token (home membership)", async () => {
    const user = await signUp();
    await auth().setCustomUserClaims(user.uid, { member: true });
    const fresh = await signIn(user.email, user.password);
    assert.equal(claims(fresh.idToken).member, true);
    assert.equal(claims(user.idToken).member, undefined);
  });

  it("another user's data → 403; one's own → 200", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const theirs = await get(`/test/owned?uid=${bob.uid}`, alice.idToken);
    assert.equal(theirs.status, 403);
    assert.deepEqual(await theirs.json(), { error: "not_owner", details: {} });
    assert.equal((await get(`/test/owned?uid=${alice.uid}`, alice.idToken)).status, 200);
  });

  it("another user's installation cannot be deleted (answered as not found, left in place)", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const registered = await fetch(`${api.url}/v1/installations`, {
      method: "PUT",
      headers: { authorization: `Bearer ${bob.idToken}`, "content-type": "application/json" },
      body: JSON.stringify({ installationId: "inst-bob-00001", fcmToken: `${FCM_TOKEN}b`, platform: "ios" }),
    });
    assert.equal(registered.status, 201);
    const res = await fetch(`${api.url}/v1/installations`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${alice.idToken}`, "content-type": "application/json" },
      body: JSON.stringify({ installationId: "inst-bob-00001" }),
    });
    assert.equal(res.status, 404);
    assert.equal((await memory.stores.installations.get("inst-bob-00001"))?.uid, bob.uid);
  });
});

describe("deployed api behind the Functions emulator", function () {
  this.timeout(30_000);
  let base: string | undefined;

  before(async function () {
    const functions = hubHost ? await functionsEmulator(hubHost) : undefined;
    if (!functions) {
      console.log("skipped: no Functions emulator registered with FIREBASE_EMULATOR_HUB (run under `firebase emulators:exec --only auth,functions`)");
      this.skip();
    }
    base = `http://${functions}/${PROJECT}/asia-northeast3/api`;
  });

  it("a request without a token gets the JSON 401", async () => {
    const res = await fetch(`${base}/v1/me`);
    assert.equal(res.status, 401);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    assert.deepEqual(await res.json(), { error: "missing_or_malformed_bearer_token", details: {} });
  });

  it("a valid Auth emulator token gets its uid back", async function () {
    if (!authHost) {
      console.log("skipped: FIREBASE_AUTH_EMULATOR_HOST is unset");
      this.skip();
    }
    const user = await signUp();
    const res = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${user.idToken}` } });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { uid: user.uid });
  });
});

/** `host:port` of the Functions emulator as the hub lists it, or undefined when it is not running. */
async function functionsEmulator(hub: string): Promise<string | undefined> {
  try {
    const res = await fetch(`http://${hub}/emulators`);
    const list = (await res.json()) as Record<string, { host?: string; port?: number } | undefined>;
    const entry = list.functions;
    return entry?.host && entry.port ? `${entry.host}:${entry.port}` : undefined;
  } catch {
    return undefined;
  }
}
