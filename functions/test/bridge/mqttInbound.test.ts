import { strict as assert } from "node:assert";
import firebaseFunctionsTest from "firebase-functions-test";
import { inboundAttributes } from "@wolley/contract";
import { makeMqttInbound } from "../../src/bridge/mqttInbound";
import type { OutboundMessage } from "../../src/bridge/outbound";
import { memoryBridgeStore } from "./memoryStore";
import { RecordingAlerter } from "../smarthome/fakes";
import { cloudEventFor } from "../support/pubsubEvents";

const fft = firebaseFunctionsTest();

function setup() {
  const store = memoryBridgeStore();
  const sent: OutboundMessage[] = [];
  const alerter = new RecordingAlerter();
  let failNextOutbound = false;
  const fn = fft.wrap(
    makeMqttInbound(() => ({
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
    })),
  );
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
  it("signup stores user_account/{UID}; signin answers return_name on webos/<producer>/info", async () => {
    const t = setup();
    await t.deliver("webos/server", JSON.stringify({ Producer: "android", command: "signup", UID: "u1", name: "김철수" }));
    assert.deepEqual(t.store.users.get("u1"), { name: "김철수" });
    await t.deliver("webos/server", JSON.stringify({ Producer: "android", command: "signin", UID: "u1" }));
    assert.deepEqual(t.sent, [{ topic: "webos/android/info", payload: JSON.stringify({ Producer: "server", command: "return_name", name: "김철수" }), qos: 1 }]);
  });

  it("signin of an unknown user answers a warning on the producer's error topic", async () => {
    const t = setup();
    await t.deliver("webos/server", JSON.stringify({ Producer: "car", command: "signin", UID: "nobody" }));
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
    await t.deliver("webos/server", JSON.stringify({ Producer: "android", command: "add_schedule", schedule }));
    assert.deepEqual(t.store.schedules.get("evening"), schedule);
    await t.deliver("webos/server", JSON.stringify({ Producer: "android", command: "add_schedule", schedule: { ...schedule, startTime: "25:00" } }));
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
    const payload = JSON.stringify({ Producer: "android", command: "signin", UID: "u1" });
    await t.store.upsertUserAccount("u1", "Kim");
    await t.deliver("webos/server", payload, "same");
    await t.deliver("webos/server", payload, "same");
    assert.equal(t.sent.length, 1);
    assert.ok(t.store.processed.has("mqttInbound:same"));
  });

  it("a failing reply rejects (so Pub/Sub retries) and the retry completes the message once", async () => {
    const t = setup();
    await t.store.upsertUserAccount("u1", "Kim");
    const payload = JSON.stringify({ Producer: "android", command: "signin", UID: "u1" });
    t.failOutboundOnce();
    await assert.rejects(t.deliver("webos/server", payload, "r1"), /pubsub unavailable/);
    assert.equal(t.store.processed.has("mqttInbound:r1"), false);
    await t.deliver("webos/server", payload, "r1");
    await t.deliver("webos/server", payload, "r1");
    assert.equal(t.sent.length, 1);
  });
});
