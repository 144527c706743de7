import { strict as assert } from "node:assert";
import firebaseFunctionsTest from "firebase-functions-test";
import { inboundAttributes } from "@wolley/contract";
import { setInboundDeps } from "../../src/bridge/deps";
import { mqttInbound } from "../../src/bridge/mqttInbound";
import type { OutboundMessage } from "../../src/integrations/outbound";
import type { IdTokenVerifier } from "../../src/core/idTokens";
import { fakeIdToken, fakeIdTokenVerifier, forgedIdToken } from "./fakeIdentity";
import { memoryBridgeStore } from "./memoryStore";
import { RecordingAlerter } from "../smarthome/fakes";
import { cloudEventFor } from "../support/pubsubEvents";

const fft = firebaseFunctionsTest();
const fn = fft.wrap(mqttInbound);

function setup(options: { acceptUnverifiedUid?: boolean; verifier?: IdTokenVerifier } = {}) {
  const store = memoryBridgeStore();
  const sent: OutboundMessage[] = [];
  const alerter = new RecordingAlerter();
  let failNextOutbound = false;
  setInboundDeps({
    store,
    outbound: {
      publish: (m) => {
        if (failNextOutbound) {
          failNextOutbound = false;
          return Promise.reject(new Error("pubsub unavailable"));
        }
        sent.push(m);
        return Promise.resolve();
      },
    },
    alerter,
    identity: { verifier: options.verifier ?? fakeIdTokenVerifier, acceptUnverifiedUid: options.acceptUnverifiedUid ?? false },
  });
  let n = 0;
  const deliver = (mqttTopic: string, payload: string, messageId = `m${++n}`, attributes?: Record<string, string>) =>
    fn(
      cloudEventFor({
        id: `ps-${messageId}-${n}`,
        data: Buffer.from(payload),
        attributes: attributes ?? inboundAttributes(mqttTopic, 1, 1_764_000_000_000, messageId),
      }),
    ) as Promise<void>;
  return { store, sent, alerts: alerter.alerts, deliver, failOutboundOnce: () => (failNextOutbound = true) };
}

describe("mqttInbound", () => {
  afterEach(() => setInboundDeps(undefined));

  it("signup stores user_account/{UID}; signin answers return_name on webos/<producer>/info", async () => {
    const t = setup();
    await t.deliver("webos/server", JSON.stringify({ Producer: "android", command: "signup", UID: "u1", name: "김철수", idToken: fakeIdToken("u1") }));
    assert.deepEqual(t.store.users.get("u1"), { name: "김철수" });
    await t.deliver("webos/server", JSON.stringify({ Producer: "android", command: "signin", UID: "u1", idToken: fakeIdToken("u1") }));
    assert.deepEqual(t.sent, [{ topic: "webos/android/info", payload: JSON.stringify({ Producer: "server", command: "return_name", name: "김철수" }), qos: 1 }]);
  });

  it("signin of an unknown user answers a warning on the producer's error topic", async () => {
    const t = setup();
    await t.deliver("webos/server", JSON.stringify({ Producer: "car", command: "signin", UID: "nobody", idToken: fakeIdToken("nobody") }));
    assert.equal(t.sent[0]?.topic, "webos/car/error");
    assert.equal((JSON.parse(t.sent[0]?.payload ?? "{}") as { reason?: string }).reason, "unknown user");
  });

  it("add_schedule validates and stores schedule_mode/{title}", async () => {
    const t = setup();
    const schedule = {
      title: "evening", name: "Evening", enabled: true, repeat: false, daysOfWeek: [false, false, false, false, false, false, false],
      activeDate: "2026-11-27", startTime: "1900", modeNum: 2, airconEnable: 2, airconWindPower: 0, lightEnable: 1,
      lightBrightness: 5, lightColor: 1, lightMode: 0, windowOpen: 0, gasValveEnable: 0,
    };
    await t.deliver("webos/server", JSON.stringify({ Producer: "android", command: "add_schedule", schedule, idToken: fakeIdToken("m1", { member: true }) }));
    assert.deepEqual(t.store.schedules.get("evening"), schedule);
    await t.deliver("webos/server", JSON.stringify({ Producer: "android", command: "add_schedule", schedule: { ...schedule, startTime: "25:00" }, idToken: fakeIdToken("m1", { member: true }) }));
    assert.equal(t.store.schedules.size, 1);
    assert.equal(t.sent[0]?.topic, "webos/android/error");
    assert.equal(t.alerts.length, 1);
  });

  it("a status report updates smarthome/status; a malformed one is answered and alerted, never written", async () => {
    const t = setup();
    await t.deliver("data/smarthome", "009060210");
    await t.deliver("data/smarthome", "00906021");
    assert.deepEqual(t.store.statuses, ["009060210"]);
    assert.equal(t.sent[0]?.topic, "webos/smarthome/error");
    assert.match(t.alerts[0]?.message ?? "", /malformed status/);
  });

  it("garbage without a producer is alerted only; messages without bridge attributes are alerted and dropped", async () => {
    const t = setup();
    await t.deliver("webos/server", "\u0000\u00ffgarbage");
    await t.deliver("webos/server", "{}", "x", { mqttTopic: "webos/server" });
    assert.equal(t.sent.length, 0);
    assert.deepEqual(t.alerts.map((a) => a.key), ["mqttInbound:malformed command:unknown", "mqttInbound:bad_attributes"]);
  });

  it("is idempotent on the bridge's message id, across Pub/Sub redeliveries with new ids", async () => {
    const t = setup();
    const payload = JSON.stringify({ Producer: "android", command: "signin", UID: "u1", idToken: fakeIdToken("u1") });
    await t.store.upsertUserAccount("u1", "Kim");
    await t.deliver("webos/server", payload, "same");
    await t.deliver("webos/server", payload, "same");
    assert.equal(t.sent.length, 1);
    assert.ok(t.store.processed.done().includes("mqttInbound:same"));
  });

  it("a failing reply rejects (so Pub/Sub retries) and the retry completes the message once", async () => {
    const t = setup();
    await t.store.upsertUserAccount("u1", "Kim");
    const payload = JSON.stringify({ Producer: "android", command: "signin", UID: "u1", idToken: fakeIdToken("u1") });
    t.failOutboundOnce();
    await assert.rejects(t.deliver("webos/server", payload, "r1"), /pubsub unavailable/);
    assert.equal(t.store.processed.done().includes("mqttInbound:r1"), false);
    await t.deliver("webos/server", payload, "r1");
    await t.deliver("webos/server", payload, "r1");
    assert.equal(t.sent.length, 1);
  });

  describe("who sent a command", () => {
    const kim = { Producer: "android", command: "signin", UID: "kim" } as const;
    const reasons = (t: ReturnType<typeof setup>) => t.sent.map((m) => `${m.topic} ${(JSON.parse(m.payload) as { reason?: string; command: string }).reason ?? (JSON.parse(m.payload) as { command: string }).command}`);

    it("refuses signin as another user's UID without a token, with an invalid one, or with the caller's own", async () => {
      const t = setup();
      await t.store.upsertUserAccount("kim", "Kim");
      await t.deliver("webos/server", JSON.stringify(kim));
      await t.deliver("webos/server", JSON.stringify({ ...kim, idToken: forgedIdToken("kim") }));
      await t.deliver("webos/server", JSON.stringify({ ...kim, idToken: fakeIdToken("mallory") }));
      await t.deliver("webos/server", JSON.stringify({ ...kim, idToken: "not-a-jwt-at-all-but-long" }));
      assert.deepEqual(reasons(t), [
        "webos/android/error idToken required",
        "webos/android/error invalid idToken",
        "webos/android/error UID does not match idToken",
        "webos/android/error malformed signin",
      ]);
      assert.equal(t.alerts.length, 4);
    });

    it("answers signin with the user's own valid token", async () => {
      const t = setup();
      await t.store.upsertUserAccount("kim", "Kim");
      await t.deliver("webos/server", JSON.stringify({ ...kim, idToken: fakeIdToken("kim") }));
      assert.deepEqual(reasons(t), ["webos/android/info return_name"]);
    });

    it("stores nothing from a signup or add_schedule that is not proven: no token, someone else's, not a member", async () => {
      const t = setup();
      const schedule = {
        title: "t", name: "T", enabled: true, repeat: true, daysOfWeek: [true, true, true, true, true, true, true], startTime: "0700",
        modeNum: 1, airconEnable: 2, airconWindPower: 0, lightEnable: 2, lightBrightness: 0, lightColor: 0, lightMode: 0, windowOpen: 2, gasValveEnable: 2,
      };
      await t.deliver("webos/server", JSON.stringify({ Producer: "android", command: "signup", UID: "kim", name: "Mallory" }));
      await t.deliver("webos/server", JSON.stringify({ Producer: "android", command: "signup", UID: "kim", name: "Mallory", idToken: fakeIdToken("mallory") }));
      await t.deliver("webos/server", JSON.stringify({ Producer: "car", command: "add_schedule", schedule }));
      await t.deliver("webos/server", JSON.stringify({ Producer: "car", command: "add_schedule", schedule, idToken: fakeIdToken("mallory") }));
      assert.equal(t.store.users.size, 0);
      assert.equal(t.store.schedules.size, 0);
      assert.deepEqual(reasons(t), [
        "webos/android/error idToken required",
        "webos/android/error UID does not match idToken",
        "webos/car/error idToken required",
        "webos/car/error not a member",
      ]);
      await t.deliver("webos/server", JSON.stringify({ Producer: "car", command: "add_schedule", schedule, idToken: fakeIdToken("hub", { device: true }) }));
      await t.deliver("webos/server", JSON.stringify({ Producer: "android", command: "signup", UID: "kim", name: "Kim", idToken: fakeIdToken("kim") }));
      assert.deepEqual([...t.store.schedules.keys()], ["t"]);
      assert.deepEqual(t.store.users.get("kim"), { name: "Kim" });
    });

    it("with MQTT_ACCEPT_UNVERIFIED_UID the old UID-only form is answered, but a present token must still verify", async () => {
      const t = setup({ acceptUnverifiedUid: true });
      await t.store.upsertUserAccount("kim", "Kim");
      await t.deliver("webos/server", JSON.stringify(kim));
      await t.deliver("webos/server", JSON.stringify({ ...kim, idToken: forgedIdToken("kim") }));
      await t.deliver("webos/server", JSON.stringify({ ...kim, idToken: fakeIdToken("mallory") }));
      assert.deepEqual(reasons(t), ["webos/android/info return_name", "webos/android/error invalid idToken", "webos/android/error UID does not match idToken"]);
    });

    it("a verifier that cannot answer rejects the event (retried) and marks nothing", async () => {
      const t = setup({ verifier: { verify: () => Promise.reject(new Error("auth unavailable")) } });
      await assert.rejects(t.deliver("webos/server", JSON.stringify({ ...kim, idToken: fakeIdToken("kim") }), "v1"), /auth unavailable/);
      assert.equal(t.store.processed.done().length, 0);
      assert.equal(t.sent.length, 0);
    });
  });
});
