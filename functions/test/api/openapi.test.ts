import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createApiHandler } from "../../src/http/pipeline";
import { apiDocument, documentedRoutes } from "../../src/api/openapiDocument";
import { buildRoutes } from "../../src/api/routes";
import { bearer, fakeVerifier } from "../support/fakeVerifier";
import { serve } from "../support/http";
import { inMemoryApiDeps } from "../support/inMemoryApiDeps";

const DOC_FILE = path.resolve(__dirname, "..", "..", "..", "..", "docs", "openapi.json");
type Document = { openapi: string; paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown>; deprecated?: boolean }>> };
const committed = (): Document => JSON.parse(readFileSync(DOC_FILE, "utf8")) as Document;

describe("api contract (docs/openapi.json)", () => {
  it("is what the code generates: run `npm run openapi` after changing a route", () => {
    assert.deepEqual(committed(), JSON.parse(JSON.stringify(apiDocument())), "docs/openapi.json is stale: run `npm run openapi`");
  });

  it("is what `npm run openapi` writes (its script bundles the document's module from where it lives)", function () {
    this.timeout(60_000);
    const script = path.resolve(__dirname, "..", "..", "..", "..", "scripts", "openapi.js");
    const run = spawnSync(process.execPath, [script, "--check"], { encoding: "utf8", timeout: 50_000 });
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  });

  it("is OpenAPI 3.1 with Firebase ID token security (and App Check as the enforced alternative)", () => {
    const doc = committed() as Document & { components: { securitySchemes: Record<string, { type: string; scheme?: string; name?: string }> } };
    assert.equal(doc.openapi, "3.1.0");
    assert.equal(doc.components.securitySchemes.firebaseIdToken?.scheme, "bearer");
    assert.equal(doc.components.securitySchemes.appCheck?.name, "X-Firebase-AppCheck");
    assert.deepEqual(doc.paths["/v1/openapi.json"]?.get?.security, []);
    assert.deepEqual(doc.paths["/v1/me"]?.get?.security, [{ firebaseIdToken: [] }, { firebaseIdToken: [], appCheck: [] }]);
    assert.equal(doc.paths["/v1/places"]?.delete?.deprecated, true);
    assert.equal(doc.paths["/v1/installations"]?.delete?.deprecated, true);
  });

  it("lists exactly the routes the router serves", () => {
    const served = createApiHandler({ verifier: fakeVerifier, routes: documentedRoutes(), corsOrigins: () => [] })
      .listRoutes()
      .flatMap((r) => r.methods.map((m) => `${m} ${r.path.replace(/:(\w+)/g, "{$1}")}`))
      .sort();
    const documented = Object.entries(committed().paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    assert.deepEqual(served, documented);
  });

  it("is served at GET /v1/openapi.json without a token, while the other routes still need one", async () => {
    const { deps } = inMemoryApiDeps();
    const server = await serve(createApiHandler({ verifier: fakeVerifier, routes: buildRoutes(deps), corsOrigins: () => [] }));
    try {
      const res = await fetch(`${server.url}/v1/openapi.json`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), committed());
      assert.equal((await fetch(`${server.url}/v1/me`)).status, 401);
      const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: bearer("alice") } });
      assert.equal(me.status, 200);
    } finally {
      await server.close();
    }
  });
});
