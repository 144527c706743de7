import { strict as assert } from "node:assert";
import { request } from "node:http";
import { createApiHandler } from "../../src/http/pipeline";
import type { AppCheckVerifier } from "../../src/http/appCheck";
import { MAX_BODY_BYTES } from "../../src/http/body";
import { HttpError } from "../../src/http/errors";
import { InMemoryRateLimiter, type RateLimiter } from "../../src/http/rateLimit";
import type { Route } from "../../src/http/types";
import type { IdTokenVerifier } from "../../src/core/idTokens";
import { unverifiedUid } from "../../src/http/auth";
import { testRoute } from "../support/testRoute";
import { bearer, fakeVerifier } from "../support/fakeVerifier";
import { serve } from "../support/http";

const routes: Route[] = [
  testRoute("GET", "/ok", ({ uid }) => Promise.resolve({ status: 200, body: { uid } })),
  testRoute("GET", "/crash", () => {
    const err = new Error("connect ECONNREFUSED 10.0.0.7:8080 at /srv/app/src/store.ts:42");
    (err as Error & { code: string }).code = "ECONNREFUSED";
    return Promise.reject(err);
  }),
  testRoute("GET", "/leaky", () => Promise.reject(new Error("SELECT * FROM users"))),
  testRoute("GET", "/refused", () => Promise.reject(new HttpError(409, "conflict", { field: "x" }))),
];

const fakeAppCheck: AppCheckVerifier = {
  verify: (token) => (token.startsWith("good-app-check") ? Promise.resolve() : Promise.reject(new Error("bad app check"))),
};

type Served = Awaited<ReturnType<typeof serve>>;

describe("api hardening", () => {
  const opened: Served[] = [];
  const open = async (...args: Parameters<typeof createApiHandler>): Promise<Served> => {
    const served = await serve(createApiHandler(...args));
    opened.push(served);
    return served;
  };
  after(async () => {
    await Promise.all(opened.map((s) => s.close()));
  });

  describe("internal failures", () => {
    it("answer a bare JSON 500 with no message, stack or error code", async () => {
      const api = await open({ verifier: fakeVerifier, routes, corsOrigins: () => [] });
      for (const at of ["/crash", "/leaky"]) {
        const res = await fetch(`${api.url}${at}`, { headers: { authorization: bearer("alice") } });
        assert.equal(res.status, 500);
        const text = await res.text();
        assert.equal(text, JSON.stringify({ error: "internal", details: {} }));
      }
    });

    it("let a deliberate HttpError through with its code and details", async () => {
      const api = await open({ verifier: fakeVerifier, routes, corsOrigins: () => [] });
      const res = await fetch(`${api.url}/refused`, { headers: { authorization: bearer("alice") } });
      assert.equal(res.status, 409);
      assert.deepEqual(await res.json(), { error: "conflict", details: { field: "x" } });
    });

    it("a verifier's failure reason (e.g. user disabled, token revoked) never reaches the caller", async () => {
      const leaky = { verify: () => Promise.reject(new Error("auth/user-disabled: The user account has been disabled by an administrator.")) };
      const api = await open({ verifier: leaky, routes, corsOrigins: () => [] });
      const res = await fetch(`${api.url}/ok`, { headers: { authorization: bearer("alice") } });
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), { error: "invalid_token", details: {} });
    });

    it("a request target that is not a URL gets a JSON 400 instead of crashing the handler", async () => {
      const api = await open({ verifier: fakeVerifier, routes, corsOrigins: () => [] });
      const { port } = new URL(api.url);
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, method: "GET", path: "http://[bad/ok", headers: { authorization: bearer("a") } }, (res) => {
          let body = "";
          res.on("data", (chunk: Buffer) => (body += chunk.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
        req.end();
      });
      assert.equal(answer.status, 400);
      assert.deepEqual(JSON.parse(answer.body), { error: "invalid_url", details: {} });
    });
  });

  describe("body limit over a real socket", () => {
    it("a client still sending a body far over the limit reads the JSON 413 instead of a connection reset", async () => {
      const api = await open({ verifier: fakeVerifier, routes: [testRoute("PUT", "/put", () => Promise.resolve({ status: 200, body: {} }), { body: true })], corsOrigins: () => [] });
      for (let i = 0; i < 12; i++) {
        const res = await fetch(`${api.url}/put`, {
          method: "PUT",
          headers: { authorization: bearer("alice"), "content-type": "application/json" },
          body: Buffer.alloc(MAX_BODY_BYTES + 1 + i * 100_000, 0x20),
        });
        assert.equal(res.status, 413);
        assert.deepEqual(await res.json(), { error: "payload_too_large", details: { maxBytes: MAX_BODY_BYTES } });
      }
    });
  });

  describe("App Check", () => {
    const withAppCheck = (enforce: boolean) =>
      open({ verifier: fakeVerifier, routes, corsOrigins: () => [], appCheck: { verifier: fakeAppCheck, enforce: () => enforce } });

    it("when enforced, requests without or with a bad X-Firebase-AppCheck token get a JSON 401 before auth", async () => {
      const api = await withAppCheck(true);
      for (const appCheck of [undefined, "short", `bad-app-check-${"x".repeat(20)}`]) {
        const headers: Record<string, string> = { authorization: bearer("alice") };
        if (appCheck) headers["x-firebase-appcheck"] = appCheck;
        const res = await fetch(`${api.url}/ok`, { headers });
        assert.equal(res.status, 401, String(appCheck));
        assert.deepEqual(await res.json(), { error: "app_check_required", details: {} });
      }
    });

    it("when enforced, a valid App Check token and ID token pass", async () => {
      const api = await withAppCheck(true);
      const res = await fetch(`${api.url}/ok`, {
        headers: { authorization: bearer("alice"), "x-firebase-appcheck": `good-app-check-${"x".repeat(20)}` },
      });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { uid: "alice" });
    });

    it("when switched off, no App Check token is needed", async () => {
      const api = await withAppCheck(false);
      const res = await fetch(`${api.url}/ok`, { headers: { authorization: bearer("alice") } });
      assert.equal(res.status, 200);
    });
  });

  describe("per-user rate limit", () => {
    it("answers 429 with Retry-After once a user's burst is spent, without affecting other users", async () => {
      const clock = { now: 0 };
      const limiter = new InMemoryRateLimiter({ capacity: 3, refillPerSecond: 0.1, now: () => clock.now });
      const api = await open({ verifier: fakeVerifier, routes, corsOrigins: () => ["https://app.wolley.example"], rateLimiter: limiter });
      const get = (uid: string) => fetch(`${api.url}/ok`, { headers: { authorization: bearer(uid) } });
      for (let i = 0; i < 3; i++) assert.equal((await get("alice")).status, 200);
      const limited = await get("alice");
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get("retry-after"), "10");
      assert.deepEqual(await limited.json(), { error: "rate_limited", details: { retryAfterSeconds: 10 } });
      assert.equal((await get("bob")).status, 200);
      clock.now += 10_000;
      const fromBrowser = await fetch(`${api.url}/ok`, { headers: { authorization: bearer("carol"), origin: "https://app.wolley.example" } });
      assert.match(fromBrowser.headers.get("access-control-expose-headers") ?? "", /(^|,)Retry-After(,|$)/);
      assert.equal((await get("alice")).status, 200);
    });

    it("counts only authenticated callers: a flood of bad tokens spends nobody's quota", async () => {
      const limiter = new InMemoryRateLimiter({ capacity: 1, refillPerSecond: 0.001, now: () => 0 });
      const api = await open({ verifier: fakeVerifier, routes, corsOrigins: () => [], rateLimiter: limiter });
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${api.url}/ok`, { headers: { authorization: "Bearer not-a-valid-token-at-all" } });
        assert.equal(res.status, 401);
      }
      assert.equal(limiter.size, 0);
      assert.equal((await fetch(`${api.url}/ok`, { headers: { authorization: bearer("alice") } })).status, 200);
    });

    it("refuses a caller whose quota is spent before verifying its token, so a flood costs no token check", async () => {
      const limiter = new InMemoryRateLimiter({ capacity: 2, refillPerSecond: 0.001, now: () => 0 });
      let verifications = 0;
      const verifier: IdTokenVerifier = {
        verify(token) {
          verifications++;
          const sub = unverifiedUid(`Bearer ${token}`);
          return Promise.resolve(sub ? { uid: sub, member: false, device: false } : undefined);
        },
      };
      const jwt = (sub: string) => [{ alg: "RS256" }, { sub }].map((part) => Buffer.from(JSON.stringify(part)).toString("base64url")).join(".") + ".signature";
      const api = await open({ verifier, routes, corsOrigins: () => [], rateLimiter: limiter });
      const get = () => fetch(`${api.url}/ok`, { headers: { authorization: `Bearer ${jwt("alice")}` } });
      for (let i = 0; i < 2; i++) assert.equal((await get()).status, 200);
      assert.equal(verifications, 2);
      for (let i = 0; i < 5; i++) assert.equal((await get()).status, 429);
      assert.equal(verifications, 2, "a spent caller's requests never reach the token check");
    });

    it("fails open when the limiter itself fails: it guards capacity, not access", async () => {
      const broken: RateLimiter = { take: () => Promise.reject(new Error("limiter backend down")) };
      const api = await open({ verifier: fakeVerifier, routes, corsOrigins: () => [], rateLimiter: broken });
      const res = await fetch(`${api.url}/ok`, { headers: { authorization: bearer("alice") } });
      assert.equal(res.status, 200);
    });
  });
});
