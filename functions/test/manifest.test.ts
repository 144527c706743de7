import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * `firebase deploy` discovers functions by loading lib/ and reading this manifest; asserting it here makes a wrong
 * cron string, time zone, region, trigger path or a forgotten secret fail CI instead of production.
 */
interface Endpoint {
  platform: string;
  region: string[];
  entryPoint: string;
  httpsTrigger?: { invoker?: string[] | null };
  scheduleTrigger?: { schedule: string; timeZone: string | null };
  eventTrigger?: { eventType: string; eventFilters?: Record<string, string>; eventFilterPathPatterns?: Record<string, string>; retry: boolean };
  taskQueueTrigger?: Record<string, unknown>;
  secretEnvironmentVariables?: { key: string }[] | null;
}

interface Manifest {
  specVersion: string;
  endpoints: Record<string, Endpoint>;
  params: { name: string; type: string }[];
}

type Trigger =
  | { kind: "https" }
  | { kind: "schedule"; schedule: string; timeZone: string }
  | { kind: "event"; eventType: string; filters?: Record<string, string>; pathPatterns?: Record<string, string>; retry: boolean }
  | { kind: "task" };

/** The whole deployed surface. Adding a function means adding its line here. */
const EXPECTED: Record<string, { trigger: Trigger; secrets: string[] }> = {
  api: { trigger: { kind: "https" }, secrets: [] },
  saveLocationPush: { trigger: { kind: "schedule", schedule: "*/30 * * * *", timeZone: "Asia/Seoul" }, secrets: [] },
  pathDailyPush: { trigger: { kind: "schedule", schedule: "10 0 * * 1", timeZone: "Asia/Seoul" }, secrets: [] },
  weeklyStats: { trigger: { kind: "schedule", schedule: "30 0 * * 1", timeZone: "Asia/Seoul" }, secrets: [] },
  weeklyStatsTask: { trigger: { kind: "task" }, secrets: [] },
  mqttInbound: { trigger: { kind: "event", eventType: "google.cloud.pubsub.topic.v1.messagePublished", filters: { topic: "{{ params.MQTT_INBOUND_TOPIC }}" }, retry: true }, secrets: ["SLACK_WEBHOOK_URL"] },
  onSmarthomeStatusWritten: {
    trigger: { kind: "event", eventType: "google.firebase.database.ref.v1.written", pathPatterns: { ref: "smarthome/status", instance: "*" }, retry: true },
    secrets: ["SLACK_WEBHOOK_URL"],
  },
  onHomeSensorWritten: {
    trigger: { kind: "event", eventType: "google.firebase.database.ref.v1.written", pathPatterns: { ref: "sensor/hometemp", instance: "*" }, retry: true },
    secrets: [],
  },
  onOpenWeatherWritten: {
    trigger: { kind: "event", eventType: "google.firebase.database.ref.v1.written", pathPatterns: { ref: "sensor/openweather", instance: "*" }, retry: true },
    secrets: [],
  },
  runSchedules: { trigger: { kind: "schedule", schedule: "* * * * *", timeZone: "Asia/Seoul" }, secrets: ["SLACK_WEBHOOK_URL"] },
  onScheduleModeWritten: {
    trigger: {
      kind: "event",
      eventType: "google.cloud.firestore.document.v1.written",
      filters: { database: "(default)", namespace: "(default)" },
      pathPatterns: { document: "schedule_mode/{id}" },
      retry: true,
    },
    secrets: [],
  },
  refreshWeather: {
    trigger: { kind: "schedule", schedule: "*/15 * * * *", timeZone: "Asia/Seoul" },
    secrets: ["OPENWEATHER_API_KEY", "SLACK_WEBHOOK_URL"],
  },
};

const functionsDir = path.resolve(__dirname, "..", "..");
// The SDK's package directory, found as firebase-tools finds it (its exports hide package.json and the bin).
const sdkMain = require.resolve("firebase-functions", { paths: [functionsDir] });
const sdkBin = path.join(sdkMain.slice(0, sdkMain.lastIndexOf("firebase-functions") + "firebase-functions".length), "lib/bin/firebase-functions.js");

function generateManifest(): { manifest: Manifest; ms: number } {
  const out = path.join(mkdtempSync(path.join(tmpdir(), "manifest-")), "manifest.json");
  const started = process.hrtime.bigint();
  // firebase-tools runs the SDK's binary in the source directory; the binary ignores a lone directory argument.
  execFileSync(process.execPath, [sdkBin], {
    cwd: functionsDir,
    env: { ...process.env, FUNCTIONS_MANIFEST_OUTPUT_PATH: out },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { manifest: JSON.parse(readFileSync(out, "utf8")) as Manifest, ms };
}

describe("deploy manifest", function () {
  this.timeout(30_000);
  let manifest: Manifest;
  let discoveryMs: number;

  before(() => {
    ({ manifest, ms: discoveryMs } = generateManifest());
    console.log(`      discovery took ${discoveryMs.toFixed(0)} ms`);
  });

  it("exports exactly the expected functions", () => {
    assert.deepEqual(Object.keys(manifest.endpoints).sort(), Object.keys(EXPECTED).sort());
  });

  it("declares every function as 2nd gen in Seoul, database triggers beside the RTDB instance", () => {
    for (const [name, endpoint] of Object.entries(manifest.endpoints)) {
      assert.equal(endpoint.platform, "gcfv2", name);
      const onDatabase = endpoint.eventTrigger?.eventType.startsWith("google.firebase.database.") ?? false;
      assert.deepEqual(endpoint.region, [onDatabase ? "asia-southeast1" : "asia-northeast3"], name);
      assert.equal(endpoint.entryPoint, name);
    }
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: trigger and secrets`, () => {
      const endpoint = manifest.endpoints[name];
      assert.ok(endpoint, `${name} missing from manifest`);
      const trigger = expected.trigger;
      switch (trigger.kind) {
        case "https":
          assert.ok(endpoint.httpsTrigger, `${name} is not an https function`);
          break;
        case "schedule":
          assert.deepEqual(endpoint.scheduleTrigger?.schedule, trigger.schedule);
          assert.equal(endpoint.scheduleTrigger?.timeZone, trigger.timeZone);
          break;
        case "event":
          assert.equal(endpoint.eventTrigger?.eventType, trigger.eventType);
          if (trigger.filters) assert.deepEqual(endpoint.eventTrigger?.eventFilters, trigger.filters);
          if (trigger.pathPatterns) assert.deepEqual(endpoint.eventTrigger?.eventFilterPathPatterns, trigger.pathPatterns);
          assert.equal(endpoint.eventTrigger?.retry, trigger.retry);
          break;
        case "task":
          assert.ok(endpoint.taskQueueTrigger, `${name} is not a task queue function`);
          break;
      }
      const secrets = (endpoint.secretEnvironmentVariables ?? []).map((s) => s.key).sort();
      assert.deepEqual(secrets, [...expected.secrets].sort());
    });
  }

  it("declares the Slack and OpenWeatherMap secrets as params", () => {
    const secrets = manifest.params.filter((p) => p.type === "secret").map((p) => p.name).sort();
    assert.deepEqual(secrets, ["OPENWEATHER_API_KEY", "SLACK_WEBHOOK_URL"]);
  });

  // Timing thresholds flake on busy CI machines, so the 2-second budget is guarded structurally: discovery loads
  // lib/index.js, and none of the heavy clients may be loaded by that alone (`npm run bench -- discovery` times it).
  it("keeps heavy clients out of module scope", () => {
    const script = `require(${JSON.stringify(path.join(functionsDir, "lib/index.js"))});
      process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
    const loaded = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })) as string[];
    // firebase-functions itself loads firebase-admin's app and auth modules for https triggers, and its database and
    // firestore providers require firebase-admin's database and firestore modules when they load (for the snapshots
    // they hand to handlers). That is the price of having such a trigger at all, so it is the baseline; the rest is ours.
    const providers = ["https", "database", "firestore", "scheduler", "pubsub", "tasks"].map((p) => `firebase-functions/v2/${p}`);
    const sdkScript = `for (const p of ${JSON.stringify(providers)}) require(require.resolve(p, { paths: [${JSON.stringify(functionsDir)}] }));
      process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
    const sdk = JSON.parse(execFileSync(process.execPath, ["-e", sdkScript], { encoding: "utf8" })) as string[];
    const heavy = ["@google-cloud/firestore", "@google-cloud/pubsub", "google-gax", "firebase-admin/lib/firestore",
      "firebase-admin/lib/database", "firebase-admin/lib/messaging", "mqtt", "axios", "aedes"];
    const loads = (files: string[], name: string): boolean => files.some((file) => file.includes(`node_modules/${name}`));
    const offenders = heavy.filter((name) => loads(loaded, name) && !loads(sdk, name));
    assert.deepEqual(offenders, []);
  });
});
