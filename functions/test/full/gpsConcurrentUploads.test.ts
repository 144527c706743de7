import { strict as assert } from "node:assert";
import { getApps, initializeApp } from "firebase-admin/app";
import { firestore } from "../../src/core/admin";
import { FirestoreGpsStore } from "../../src/gps/firestoreStore";
import { gpsRoutes } from "../../src/gps/routes";
import { seoulDayStart } from "../../src/core/seoulTime";
import { createApiHandler } from "../../src/http/pipeline";
import { bearer, fakeVerifier } from "../support/fakeVerifier";
import { serve } from "../support/http";

/**
 * Concurrent uploads by one user to one day, through the api's GPS routes over loopback HTTP into the Firestore
 * emulator. Within one instance they merge into a group commit; across instances a transaction that stays contended
 * answers 503 with Retry-After, never 500, and nothing is lost once clients retry.
 */
const DAY = "2026-11-26";
const NOW = Date.parse("2026-11-26T12:00:00.000Z");
const UID = "concurrent";
const MAX_ATTEMPTS = 10;

interface Instance {
  url: string;
  close: () => Promise<void>;
}

async function startInstance(): Promise<Instance> {
  const routes = gpsRoutes({ gps: new FirestoreGpsStore(firestore), now: () => NOW });
  return serve(createApiHandler({ verifier: fakeVerifier, routes, corsOrigins: () => [] }));
}

/** Upload `i`: five points of its own, and one every upload shares (stored once). */
function upload(i: number): { t: number; lat: number; lng: number }[] {
  const start = seoulDayStart(DAY);
  const own = Array.from({ length: 5 }, (_, k) => ({ t: start + (i * 5 + k) * 10_000 + 1_000, lat: 37.5 + i * 1e-4, lng: 127 + k * 1e-4 }));
  return [...own, { t: start, lat: 37.5, lng: 127 }];
}

interface Response {
  status: number;
  retryAfter: string | null;
  contentType: string | null;
  body: { error?: unknown; details?: unknown; inserted?: number };
}

async function post(instance: Instance, points: unknown[]): Promise<Response> {
  const res = await fetch(`${instance.url}/v1/gps-logs`, {
    method: "POST",
    headers: { authorization: bearer(UID), "content-type": "application/json" },
    body: JSON.stringify({ points }),
    signal: AbortSignal.timeout(120_000),
  });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), contentType: res.headers.get("content-type"), body: (await res.json()) as Response["body"] };
}

describe("concurrent GPS uploads of one user's day (Firestore emulator)", function () {
  this.timeout(240_000);
  const instances: Instance[] = [];

  before(function () {
    if (!process.env.FIRESTORE_EMULATOR_HOST) {
      console.log("skipped: FIRESTORE_EMULATOR_HOST is unset (run under firebase emulators:exec with the Firestore emulator)");
      this.skip();
    }
    if (getApps().length === 0) initializeApp({ projectId: process.env.GCLOUD_PROJECT ?? "demo-wolley" });
  });

  beforeEach(async () => {
    const db = firestore();
    await db.recursiveDelete(db.collection("gpsUsers").doc(UID));
  });

  afterEach(async () => {
    await Promise.all(instances.splice(0).map((i) => i.close()));
  });

  async function storedTimes(): Promise<number[]> {
    return (await new FirestoreGpsStore(firestore).readDays(UID, [DAY])).map((p) => p.t);
  }

  it("40 concurrent uploads to one instance all answer 200 and every point is stored once", async () => {
    const instance = await startInstance();
    instances.push(instance);
    const uploads = Array.from({ length: 40 }, (_, i) => upload(i));
    const responses = await Promise.all(uploads.map((points) => post(instance, points)));
    const statuses = responses.map((r) => r.status);
    console.log(`      statuses: ${JSON.stringify(countBy(statuses))}`);
    assert.deepEqual(statuses, uploads.map(() => 200), JSON.stringify(responses.filter((r) => r.status !== 200).slice(0, 3)));
    assert.equal(responses.reduce((sum, r) => sum + (r.body.inserted ?? 0), 0), 40 * 5 + 1);
    const times = await storedTimes();
    assert.equal(times.length, 40 * 5 + 1);
    assert.equal(new Set(times).size, times.length);
  });

  it("60 concurrent uploads across three instances: only 200 or a JSON 503 with Retry-After, and after retries every point stored once", async () => {
    for (let i = 0; i < 3; i++) instances.push(await startInstance());
    const seen: Response[] = [];
    const send = async (i: number): Promise<Response> => {
      const instance = instances[i % instances.length] as Instance;
      for (let attempt = 1; ; attempt++) {
        const res = await post(instance, upload(i));
        seen.push(res);
        if (res.status !== 503 || attempt === MAX_ATTEMPTS) return res;
        await new Promise((resolve) => setTimeout(resolve, Number(res.retryAfter) * 1_000));
      }
    };
    const final = await Promise.all(Array.from({ length: 60 }, (_, i) => send(i)));
    console.log(`      responses (with retries): ${JSON.stringify(countBy(seen.map((r) => r.status)))}`);
    for (const res of seen) {
      assert.ok(res.status === 200 || res.status === 503, `status ${res.status}: ${JSON.stringify(res.body)}`);
      assert.match(res.contentType ?? "", /^application\/json/);
      if (res.status === 503) {
        assert.equal(res.body.error, "upload_contended");
        assert.ok(res.body.details !== undefined);
        assert.ok(Number(res.retryAfter) > 0, "503 without Retry-After");
      }
    }
    assert.deepEqual(final.map((r) => r.status), final.map(() => 200));
    const times = await storedTimes();
    assert.equal(times.length, 60 * 5 + 1);
    assert.equal(new Set(times).size, times.length);
  });
});

function countBy(values: readonly number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
