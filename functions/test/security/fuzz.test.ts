import { strict as assert } from "node:assert";
import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";
import fc from "fast-check";
import { ingestPoints, refreshWeeklyStats } from "../../src/gps/service";
import { type ApiHandler, createApiHandler } from "../../src/http/pipeline";
import type { ApiIncomingMessage } from "../../src/http/body";
import { buildRoutes } from "../../src/api/routes";
import type { Route } from "../../src/http/types";
import { bearer, fakeVerifier } from "../support/fakeVerifier";
import { serve } from "../support/http";
import { type InMemoryApiDeps, inMemoryApiDeps } from "../support/inMemoryApiDeps";
import { type HostileBody, hostileBody, hostileQuery } from "./hostileBodies";

/**
 * Every route of `buildRoutes` gets at least RUNS_PER_ROUTE hostile bodies through the real pipeline: no 5xx, every
 * response JSON without internals, and no write from any request that was refused. Routes are discovered, so a
 * route group added later is fuzzed without touching this file (its in-memory deps go in inMemoryApiDeps).
 *
 * Bodies go in with `rawBody` set, exactly as Cloud Functions hands them over; a sample per route also goes over
 * loopback HTTP so the streaming body reader is covered too. Every request also carries a hostile query string
 * (DELETE /v1/places reads its id there), and the caller already has data in every store, so a refused request
 * that touched it would be seen.
 */
const RUNS_PER_ROUTE = 10_000;
const HTTP_RUNS_PER_ROUTE = 200;

/** The caller's installation, a place (id `abc`, which the generators produce), GPS points and a finished week. */
async function seedCaller(stores: InMemoryApiDeps["stores"]): Promise<void> {
  await stores.installations.register("alice", { installationId: "inst-fuzz-0001", fcmToken: `fakeInstance:${"A".repeat(140)}`, platform: "ios" }, 0);
  stores.gps.setPlaces("alice", [{ id: "abc", name: "집", category: "home", lat: 37.5, lng: 127, radiusMeters: 100 }]);
  const t0 = Date.parse("2026-11-18T01:00:00.000Z");
  await ingestPoints(stores.gps, "alice", [0, 1, 2, 3].map((i) => ({ t: t0 + i * 20 * 60_000, lat: 37.5, lng: 127 })));
  await refreshWeeklyStats(stores.gps, "alice", "2026-W47");
}

/** A route's path with its parameters filled by ids the caller owns, so the hostile bodies reach past the lookup. */
function concrete(path: string): string {
  return path.replace("{id}", path.startsWith("/v1/places") ? "abc" : "inst-fuzz-0001");
}

interface Captured {
  status: number;
  contentType: string;
  text: string;
}

class CapturingResponse {
  statusCode = 200;
  private readonly headers = new Map<string, string>();
  text = "";
  setHeader(name: string, value: string | number | readonly string[]): this {
    this.headers.set(name.toLowerCase(), String(value));
    return this;
  }
  getHeader(name: string): string | undefined {
    return this.headers.get(name.toLowerCase());
  }
  end(chunk?: string | Buffer): this {
    if (chunk !== undefined) this.text += chunk.toString();
    return this;
  }
}

async function callInProcess(handler: ApiHandler, route: Route, query: string, body: HostileBody): Promise<Captured> {
  const headers: Record<string, string> = { authorization: bearer("alice") };
  if (body.contentType !== undefined) headers["content-type"] = body.contentType;
  const req = Object.assign(Readable.from([]), {
    method: route.method,
    url: query ? `${concrete(route.path)}?${query}` : concrete(route.path),
    headers,
    rawBody: body.raw,
  }) as unknown as ApiIncomingMessage;
  const res = new CapturingResponse();
  await handler(req, res as unknown as ServerResponse);
  return { status: res.statusCode, contentType: res.getHeader("content-type") ?? "", text: res.text };
}

async function callOverHttp(url: string, route: Route, query: string, body: HostileBody): Promise<Captured> {
  const headers: Record<string, string> = { authorization: bearer("alice") };
  if (body.contentType !== undefined) headers["content-type"] = body.contentType;
  const res = await fetch(`${url}${concrete(route.path)}${query ? `?${query}` : ""}`, {
    method: route.method,
    headers,
    body: route.method === "GET" ? undefined : body.raw,
  });
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", text: await res.text() };
}

interface Tally {
  requests: number;
  byStatus: Map<number, number>;
  byKind: Map<string, number>;
  accepted: number;
  writesFromRejected: number;
}

function newTally(): Tally {
  return { requests: 0, byStatus: new Map(), byKind: new Map(), accepted: 0, writesFromRejected: 0 };
}

const bump = <K>(map: Map<K, number>, key: K): void => void map.set(key, (map.get(key) ?? 0) + 1);

function check(route: Route, body: HostileBody, res: Captured, writes: number, tally: Tally): void {
  const label = `${route.method} ${route.path} [${body.kind}] -> ${res.status} ${res.text.slice(0, 200)}`;
  tally.requests += 1;
  bump(tally.byStatus, res.status);
  bump(tally.byKind, body.kind);
  assert.ok(res.status < 500, label);
  assert.match(res.contentType, /^application\/json/, label);
  const parsed = JSON.parse(res.text) as unknown;
  assert.doesNotMatch(res.text, /\n\s+at |node_modules|\.ts:\d+|\.js:\d+/, label);
  if (res.status >= 400) {
    assert.equal(typeof (parsed as { error?: unknown }).error, "string", label);
    if (writes > 0) tally.writesFromRejected += writes;
    assert.equal(writes, 0, `${label}: a refused request wrote ${writes} time(s)`);
  } else {
    tally.accepted += 1;
  }
}

function summary(tally: Tally): string {
  const statuses = [...tally.byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(" ");
  return `${tally.requests} requests, ${tally.accepted} accepted, writes from refused: ${tally.writesFromRejected}; ${statuses}`;
}

describe("fuzz: hostile bodies to every api route", function () {
  this.timeout(120_000);
  const routes = buildRoutes(inMemoryApiDeps().deps);
  const grand = newTally();
  // One pool of generated requests, sent to every route: generating is a third of the cost, and the seed printed
  // here reproduces any failure (`fc.sample(hostileBody, { numRuns, seed })`).
  const seed = Date.now() % 2 ** 31;
  let bodies: HostileBody[] = [];
  let queries: string[] = [];

  before(() => {
    bodies = fc.sample(hostileBody, { numRuns: RUNS_PER_ROUTE, seed });
    queries = fc.sample(hostileQuery, { numRuns: RUNS_PER_ROUTE, seed: seed + 1 });
    console.log(`      fuzz seed ${seed}`);
  });

  after(() => {
    const kinds = [...grand.byKind.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}:${n}`).join(" ");
    console.log(`      fuzz total over ${routes.length} routes: ${summary(grand)}`);
    console.log(`      by kind: ${kinds}`);
  });

  it("has routes to fuzz", () => {
    assert.ok(routes.length > 0);
  });

  for (const route of routes) {
    it(`${route.method} ${route.path}: ${RUNS_PER_ROUTE} in-process + ${HTTP_RUNS_PER_ROUTE} over HTTP, no 5xx, JSON only, no writes when refused`, async () => {
      const { deps, writes, stores } = inMemoryApiDeps();
      await seedCaller(stores);
      assert.equal(writes.count(), 0);
      const handler = createApiHandler({ verifier: fakeVerifier, routes: buildRoutes(deps), corsOrigins: () => [] });
      const tally = newTally();
      const queryOf = (i: number): string => queries[i] ?? "";
      for (const [i, body] of bodies.entries()) {
        const before = writes.count();
        const res = await callInProcess(handler, route, queryOf(i), body);
        check(route, body, res, writes.count() - before, tally);
      }
      const server = await serve(handler);
      try {
        for (const [i, body] of bodies.slice(0, HTTP_RUNS_PER_ROUTE).entries()) {
          const before = writes.count();
          const res = await callOverHttp(server.url, route, queryOf(i), body);
          check(route, body, res, writes.count() - before, tally);
        }
      } finally {
        await server.close();
      }
      console.log(`        ${summary(tally)}`);
      assert.ok(tally.requests >= RUNS_PER_ROUTE + HTTP_RUNS_PER_ROUTE);
      grand.requests += tally.requests;
      grand.accepted += tally.accepted;
      grand.writesFromRejected += tally.writesFromRejected;
      for (const [s, n] of tally.byStatus) grand.byStatus.set(s, (grand.byStatus.get(s) ?? 0) + n);
      for (const [k, n] of tally.byKind) grand.byKind.set(k, (grand.byKind.get(k) ?? 0) + n);
    });
  }
});
