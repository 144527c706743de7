import { strict as assert } from "node:assert";
import { createApiHandler } from "../../src/http/pipeline";
import { MAX_BODY_BYTES } from "../../src/http/body";
import { meRoutes } from "../../src/api/meRoutes";
import type { Route } from "../../src/http/types";
import { testRoute } from "../support/testRoute";
import { bearer, fakeVerifier } from "../support/fakeVerifier";
import { serve } from "../support/http";

describe("api pipeline", () => {
  let server: Awaited<ReturnType<typeof serve>>;
  let echo: Awaited<ReturnType<typeof serve>>;
  const testRoutes: Route[] = [
    testRoute("POST", "/echo", (ctx) => Promise.resolve({ status: 200, body: ctx.body }), { body: true }),
    testRoute("POST", "/boom", () => Promise.reject(new Error("secret internals"))),
  ];

  before(async () => {
    server = await serve(
      createApiHandler({ verifier: fakeVerifier, routes: meRoutes(), corsOrigins: () => ["https://app.wolley.example"] }),
    );
    echo = await serve(createApiHandler({ verifier: fakeVerifier, routes: testRoutes, corsOrigins: () => [] }));
  });
  after(async () => {
    await server.close();
    await echo.close();
  });

  it("answers an authenticated caller with its own uid", async () => {
    const res = await fetch(`${server.url}/v1/me`, { headers: { authorization: bearer("alice") } });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { uid: "alice" });
  });

  it("refuses a missing or bad token with a JSON 401", async () => {
    for (const headers of [{} as Record<string, string>, { authorization: "Bearer nope" }, { authorization: `Basic ${"x".repeat(20)}` }]) {
      const res = await fetch(`${server.url}/v1/me`, { headers });
      assert.equal(res.status, 401);
      assert.match(res.headers.get("content-type") ?? "", /application\/json/);
      assert.equal(((await res.json()) as { error: string }).error.length > 0, true);
    }
  });

  it("answers unknown routes with 404 and wrong methods with 405 and Allow", async () => {
    const missing = await fetch(`${server.url}/v1/nothing`, { headers: { authorization: bearer("alice") } });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: string }).error, "not_found");
    const wrong = await fetch(`${server.url}/v1/me`, { method: "DELETE", headers: { authorization: bearer("alice") } });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get("allow"), "GET");
  });

  it("sets CORS headers only for documented origins", async () => {
    const ok = await fetch(`${server.url}/v1/me`, { method: "OPTIONS", headers: { origin: "https://app.wolley.example" } });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get("access-control-allow-origin"), "https://app.wolley.example");
    const other = await fetch(`${server.url}/v1/me`, { method: "OPTIONS", headers: { origin: "https://evil.example" } });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
  });

  it("refuses non-JSON bodies, broken JSON, invalid UTF-8, prototype keys and oversize bodies", async () => {
    const cases: [RequestInit["body"], string, number, string][] = [
      ["hello", "text/plain", 415, "unsupported_media_type"],
      ['{"a":', "application/json", 400, "invalid_json"],
      [new Uint8Array([0x7b, 0xff, 0x7d]), "application/json", 400, "invalid_utf8"],
      ['{"__proto__":{"x":1}}', "application/json", 400, "forbidden_key"],
      [JSON.stringify({ s: "x".repeat(MAX_BODY_BYTES) }), "application/json", 413, "payload_too_large"],
    ];
    for (const [body, type, status, error] of cases) {
      const res = await fetch(`${echo.url}/echo`, {
        method: "POST",
        headers: { authorization: bearer("a"), "content-type": type },
        body,
      });
      assert.equal(res.status, status, error);
      assert.equal(((await res.json()) as { error: string }).error, error);
    }
    const ok = await fetch(`${echo.url}/echo`, {
      method: "POST",
      headers: { authorization: bearer("a"), "content-type": "application/json; charset=utf-8" },
      body: '{"n":1}',
    });
    assert.deepEqual(await ok.json(), { n: 1 });
  });

  it("hides internal failures behind a JSON 500", async () => {
    const res = await fetch(`${echo.url}/boom`, { method: "POST", headers: { authorization: bearer("a") } });
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { error: "internal", details: {} });
  });
});
