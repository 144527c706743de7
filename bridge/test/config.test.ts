import { strict as assert } from "node:assert";
import fc from "fast-check";
import { backoffDelay } from "@wolley/contract";
import { parseOutbound } from "../src/bridge";
import { ConfigError, loadConfig } from "../src/config";

describe("bridge service config", () => {
  it("applies defaults around the required settings", () => {
    const c = loadConfig({ MQTT_URL: "mqtt://broker:1883", MQTT_USERNAME: "wolley-bridge", MQTT_PASSWORD: "pw", PUBSUB_PROJECT_ID: "demo-wolley" });
    assert.deepEqual(c.mqtt.topics, ["webos/server", "data/smarthome"]);
    assert.equal(c.pubsub.inboundTopic, "mqtt-inbound");
    assert.equal(c.maxInFlight, 500);
    assert.deepEqual([c.inboundMaxInFlight, c.redeliveryMemory, c.redeliveryWindowMs, c.maxPayloadBytes], [1_000, 10_000, 60_000, 262_144]);
    assert.equal(c.embeddedBroker, false);
  });

  it("reports every bad setting by name in one error", () => {
    try {
      loadConfig({ MQTT_URL: "http://x", MQTT_TOPICS: "a/#", BRIDGE_MAX_IN_FLIGHT: "0", PORT: "x", MQTT_USERNAME: "u" });
      assert.fail("expected a ConfigError");
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      const text = err.problems.join("\n");
      for (const name of ["MQTT_URL", "MQTT_TOPICS", "BRIDGE_MAX_IN_FLIGHT", "PORT"]) assert.ok(text.includes(name), `${name} in ${text}`);
    }
  });

  it("requires broker credentials, from MQTT_USERNAME/MQTT_PASSWORD or the URL, and keeps them out of the URL", () => {
    assert.throws(() => loadConfig({ MQTT_URL: "mqtt://b", BRIDGE_PUBSUB: "memory" }), /MQTT_USERNAME: required .* no anonymous clients/);
    const fromUrl = loadConfig({ MQTT_URL: "mqtts://wolley-bridge:s%40cret@broker.example:8883", BRIDGE_PUBSUB: "memory" });
    assert.deepEqual([fromUrl.mqtt.url, fromUrl.mqtt.username, fromUrl.mqtt.password], ["mqtts://broker.example:8883", "wolley-bridge", "s@cret"]);
    assert.throws(() => loadConfig({ MQTT_URL: "mqtt://u:p@b", MQTT_USERNAME: "u", MQTT_PASSWORD: "p", BRIDGE_PUBSUB: "memory" }), /both in the URL/);
    assert.throws(() => loadConfig({ MQTT_URL: "mqtt://u@b", BRIDGE_PUBSUB: "memory" }), /needs a password/);
    const embedded = loadConfig({ BRIDGE_EMBEDDED_BROKER: "1", BRIDGE_PUBSUB: "memory" });
    assert.deepEqual([embedded.mqtt.url, embedded.mqtt.username], ["mqtt://127.0.0.1:1883", "wolley-bridge"]);
  });

  it("requires a broker URL or the embedded broker, and a project for Google Pub/Sub", () => {
    assert.throws(() => loadConfig({ PUBSUB_PROJECT_ID: "p" }), /MQTT_URL: required/);
    assert.throws(() => loadConfig({ MQTT_URL: "mqtt://b" }), /PUBSUB_PROJECT_ID: required/);
    assert.throws(() => loadConfig({ MQTT_URL: "mqtt://b", BRIDGE_PUBSUB: "memory", MQTT_USERNAME: "u" }), /MQTT_PASSWORD/);
    const local = loadConfig({ BRIDGE_EMBEDDED_BROKER: "1", BRIDGE_PUBSUB: "memory", MQTT_URL: "" });
    assert.equal(local.mqtt.url, "mqtt://127.0.0.1:1883");
  });
});

describe("bridge backoff", () => {
  it("stays within [min, min(max, min·2^attempt)] (property)", () => {
    fc.assert(
      fc.property(fc.nat(100), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1000, max: 60_000 }), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (attempt, minMs, maxMs, r) => {
        const d = backoffDelay(attempt, { minMs, maxMs }, () => r);
        assert.ok(d >= minMs && d <= Math.min(maxMs, minMs * 2 ** attempt), `${d}`);
      }),
    );
  });
});

describe("outbound contract", () => {
  it("accepts {topic, payload, qos} and names what is wrong otherwise", () => {
    assert.deepEqual(parseOutbound(Buffer.from('{"topic":"webos/smarthome/info","payload":"009060210","qos":1}')), {
      ok: true,
      value: { topic: "webos/smarthome/info", payload: "009060210", qos: 1 },
    });
    assert.deepEqual(parseOutbound(Buffer.from("nope")), { ok: false, reason: "payload is not JSON" });
    const bad = parseOutbound(Buffer.from('{"topic":"webos/#","payload":"x","qos":2}'));
    assert.ok(!bad.ok && bad.reason.includes("topic") && bad.reason.includes("qos"), JSON.stringify(bad));
  });
});
