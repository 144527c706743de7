import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { getApps, initializeApp } from "firebase-admin/app";
import { firestore } from "../../src/core/admin";
import { hostileBody, hostileQuery } from "../security/hostileBodies";

/**
 * The deployed api behind the Functions emulator, with Auth and Firestore emulators: what the platform answers
 * before our code, the curl examples of docs/api.md, and a fuzz run over every route of the served OpenAPI document.
 * Run under `firebase emulators:exec` with functions, auth and firestore (tier 5 of `npm test`).
 */
const PROJECT = process.env.GCLOUD_PROJECT ?? "demo-wolley";
const REPO = path.resolve(__dirname, "..", "..", "..", "..");
/** The pages express renders in production mode for the body parser's errors (functions/.env sets NODE_ENV). */
const PLATFORM_PAGE = /^<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error<\/title>\n<\/head>\n<body>\n<pre>(Bad Request|Payload Too Large|Unsupported Media Type)<\/pre>\n<\/body>\n<\/html>\n$/;
const FUZZ_REQUESTS = 3_000;

let api = "";
let authHost = "";

async function signIn(email: string, password: string): Promise<{ uid: string; idToken: string }> {
  const call = (method: string) =>
    fetch(`http://${authHost}/identitytoolkit.googleapis.com/v1/accounts:${method}?key=fake-api-key`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password, returnSecureToken: true }),
    });
  let res = await call("signInWithPassword");
  if (res.status !== 200) res = await call("signUp");
  const json = (await res.json()) as { localId: string; idToken: string };
  assert.ok(json.idToken, JSON.stringify(json));
  return { uid: json.localId, idToken: json.idToken };
}

/** Everything the api stores for `uid`, as one string: equal strings mean nothing was written. */
async function stateOf(uid: string): Promise<string> {
  const user = firestore().collection("gpsUsers").doc(uid);
  const [days, places, weeks, installations] = await Promise.all([
    user.collection("gpsDays").get(),
    user.collection("places").get(),
    user.collection("weeklyStats").get(),
    firestore().collection("installations").where("uid", "==", uid).get(),
  ]);
  return JSON.stringify([days, places, weeks, installations].map((q) => q.docs.map((d) => [d.ref.path, d.updateTime.toMillis()])));
}

describe("api behind the Functions emulator (Auth, Firestore)", function () {
  this.timeout(180_000);

  before(async function () {
    const hub = process.env.FIREBASE_EMULATOR_HUB;
    const missing = ["FIRESTORE_EMULATOR_HOST", "FIREBASE_AUTH_EMULATOR_HOST", "FIREBASE_EMULATOR_HUB"].filter((n) => !process.env[n]);
    if (missing.length > 0) {
      console.log(`skipped: ${missing.join(", ")} unset (run under firebase emulators:exec with functions, auth and firestore)`);
      this.skip();
    }
    const running = (await (await fetch(`http://${hub}/emulators`)).json()) as Record<string, { host: string; port: number } | undefined>;
    if (!running.functions) {
      console.log("skipped: the Functions emulator is not running");
      this.skip();
    }
    api = `http://${running.functions.host}:${running.functions.port}/${PROJECT}/asia-northeast3/api`;
    authHost = process.env.FIREBASE_AUTH_EMULATOR_HOST ?? "";
    if (getApps().length === 0) initializeApp({ projectId: PROJECT });
  });

  describe("bodies the platform's body parser answers before the api runs", () => {
    const cases: [string, Buffer | string, Record<string, string>, number][] = [
      ["malformed JSON", '{"points": [}', {}, 400],
      ["truncated JSON", '{"points": [{"t": 1', {}, 400],
      ["bad gzip", Buffer.from("this is not gzip"), { "content-encoding": "gzip" }, 400],
      ["oversize gzip (40 MB inflated)", gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20)), { "content-encoding": "gzip" }, 413],
      ["unsupported encoding", Buffer.from("{}"), { "content-encoding": "br" }, 415],
    ];
    for (const [name, body, headers, status] of cases) {
      it(`${name}: ${status}, a bare page without stack trace or paths, nothing stored (with and without a token)`, async () => {
        const user = await signIn("platform-probe@wolley.example", "platform-probe");
        const before = await stateOf(user.uid);
        for (const auth of [{}, { authorization: `Bearer ${user.idToken}` }] as Record<string, string>[]) {
          const res = await fetch(`${api}/v1/gps-logs`, { method: "POST", headers: { "content-type": "application/json", ...headers, ...auth }, body });
          const text = await res.text();
          assert.equal(res.status, status, text);
          assert.match(text, PLATFORM_PAGE);
        }
        assert.equal(await stateOf(user.uid), before);
      });
    }

    it("what reaches the api gets its JSON answers: gzip over 1 MiB inflated, gzip that is fine, a wrong content type", async () => {
      const user = await signIn("platform-probe@wolley.example", "platform-probe");
      const auth = { authorization: `Bearer ${user.idToken}`, "content-type": "application/json" };
      const big = await fetch(`${api}/v1/gps-logs`, {
        method: "POST",
        headers: { ...auth, "content-encoding": "gzip" },
        body: gzipSync(Buffer.from(JSON.stringify({ points: [], pad: "x".repeat(1_500_000) }))),
      });
      assert.equal(big.status, 413);
      assert.deepEqual(await big.json(), { error: "payload_too_large", details: { maxBytes: 1024 * 1024 } });
      const ok = await fetch(`${api}/v1/gps-logs`, { method: "POST", headers: { ...auth, "content-encoding": "gzip" }, body: gzipSync(Buffer.from('{"points":[]}')) });
      assert.equal(ok.status, 200);
      const text = await fetch(`${api}/v1/gps-logs`, { method: "POST", headers: { ...auth, "content-type": "text/plain" }, body: "hello" });
      assert.equal(text.status, 415);
      assert.equal(((await text.json()) as { error: string }).error, "unsupported_media_type");
    });
  });

  describe("docs/api.md examples", () => {
    interface Example {
      line: string;
      method: string;
      url: string;
      headers: Record<string, string>;
      body?: string;
      statuses: number[];
    }

    /** The curl commands of docs/api.md's sh blocks (continuation lines joined), with the statuses their comments name. */
    function examples(): Example[] {
      const text = readFileSync(path.join(REPO, "docs", "api.md"), "utf8");
      const out: Example[] = [];
      for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
        const lines = (block[1] ?? "").replace(/\\\n\s*/g, " ").split("\n");
        for (const line of lines) {
          const m = /^curl (.*?)\s+#\s*(.*)$/.exec(line.trim());
          if (!m?.[1] || !m[2]) continue;
          const args = [...m[1].matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((a) => a[1] ?? a[2] ?? a[3] ?? "");
          const example: Example = { line, method: "GET", url: "", headers: {}, statuses: [...m[2].matchAll(/\b([1-5]\d\d)\b/g)].map((s) => Number(s[1])) };
          for (let i = 0; i < args.length; i++) {
            const arg = args[i] ?? "";
            if (arg === "-X") example.method = args[++i] ?? "GET";
            else if (arg === "-H") {
              const [name = "", ...value] = (args[++i] ?? "").split(":");
              example.headers[name.trim().toLowerCase()] = value.join(":").trim();
            } else if (arg === "-d") example.body = args[++i];
            else if (!arg.startsWith("-")) example.url = arg;
          }
          if (example.url.includes("$API")) out.push(example);
        }
      }
      return out;
    }

    it("every curl example answers the status its comment documents", async () => {
      const list = examples();
      assert.ok(list.length >= 15, `found ${list.length} examples`);
      const covered = new Set<string>();
      const seed = await signIn("member@wolley.example", "wolley-demo");
      for (const example of list) {
        const headers = Object.fromEntries(Object.entries(example.headers).map(([k, v]) => [k, v.replace("$TOKEN", seed.idToken)]));
        const url = example.url.replace("$API", api);
        const res = await fetch(url, { method: example.method, headers, ...(example.body === undefined ? {} : { body: example.body }) });
        const text = await res.text();
        assert.ok(example.statuses.includes(res.status), `${example.line}\n→ ${res.status} ${text.slice(0, 300)}`);
        assert.match(res.headers.get("content-type") ?? "", /^application\/json/, example.line);
        covered.add(`${example.method} ${new URL(url).pathname.replace(/\/(home|demo-installation-0001)$/, "/{id}").replace(/^.*\/api/, "")}`);
      }
      const doc = (await (await fetch(`${api}/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { deprecated?: boolean }>> };
      const routes = Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).filter(([, op]) => !op.deprecated).map(([m]) => `${m.toUpperCase()} ${p}`));
      assert.deepEqual(routes.filter((r) => !covered.has(r)), [], "every route has an example in docs/api.md");
    });
  });

  describe("fuzz over every route of the served OpenAPI document", () => {
    it(`${FUZZ_REQUESTS} hostile requests: no 5xx, every api answer JSON, platform pages only for unparseable bodies, no write from a refused request`, async () => {
      const doc = (await (await fetch(`${api}/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
      const routes = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path: p })));
      const user = await signIn("fuzz@wolley.example", "fuzz-password");
      const seed = Date.now() % 2 ** 31;
      const bodies = fc.sample(hostileBody, { numRuns: FUZZ_REQUESTS, seed });
      const queries = fc.sample(hostileQuery, { numRuns: FUZZ_REQUESTS, seed: seed + 1 });
      const tally = { requests: 0, accepted: 0, refusedJson: 0, platformPages: 0, serverErrors: 0, writesFromRefused: 0 };
      const byStatus = new Map<number, number>();
      let state = await stateOf(user.uid);
      for (let i = 0; i < FUZZ_REQUESTS; i++) {
        const route = routes[i % routes.length]!;
        const body = bodies[i]!;
        const headers: Record<string, string> = {};
        if (i % 7 !== 0) headers.authorization = `Bearer ${user.idToken}`;
        if (body.contentType !== undefined) headers["content-type"] = body.contentType;
        const target = `${api}${route.path.replace("{id}", i % 2 ? "fuzz-place" : "fuzz-installation-01")}${queries[i] ? `?${queries[i]}` : ""}`;
        const res = await fetch(target, { method: route.method, headers, ...(route.method === "GET" ? {} : { body: body.raw }) });
        const text = await res.text();
        const label = `${route.method} ${route.path} [${body.kind}] (seed ${seed}) -> ${res.status} ${text.slice(0, 200)}`;
        tally.requests++;
        byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
        if (res.status >= 500) tally.serverErrors++;
        assert.ok(res.status < 500, label);
        const isJson = /^application\/json/.test(res.headers.get("content-type") ?? "");
        if (!isJson) {
          // Only a body the platform's parsers refused (unreadable JSON, bad encoding, or an urlencoded body over
          // body-parser's parameter limit) is answered before the api, and only with the bare status page.
          assert.match(text, PLATFORM_PAGE, label);
          assert.ok(route.method !== "GET" && body.raw.length > 0, label);
          tally.platformPages++;
        } else {
          assert.doesNotMatch(text, /\n\s+at |node_modules|\.ts:\d+|\.js:\d+/, label);
          JSON.parse(text);
        }
        const after = res.status >= 400 || route.method === "GET" ? await stateOf(user.uid) : undefined;
        if (res.status >= 400) {
          if (isJson) tally.refusedJson++;
          if (after !== state) tally.writesFromRefused++;
          assert.equal(after, state, `${label}: a refused request wrote`);
        } else {
          tally.accepted++;
          state = after ?? (await stateOf(user.uid));
        }
      }
      const statuses = [...byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(" ");
      console.log(`      emulator fuzz (seed ${seed}) over ${routes.length} routes: ${tally.requests} requests, ${tally.accepted} accepted, ${tally.refusedJson} refused with JSON, ${tally.platformPages} platform pages (bodies the platform's parsers refused), ${tally.serverErrors} 5xx, writes from refused: ${tally.writesFromRefused}; ${statuses}`);
      assert.equal(tally.requests, FUZZ_REQUESTS);
    });
  });
});
