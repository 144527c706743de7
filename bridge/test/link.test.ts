import { strict as assert } from "node:assert";
import type { MqttClient } from "mqtt";
import { type EmbeddedBroker, startEmbeddedBroker } from "../src/embeddedBroker";
import { MqttLink } from "../src/link";
import { bridgeCredentials, client, quietLog, until } from "./support/bridgePipeline";

describe("MQTT link", () => {
  let broker: EmbeddedBroker;
  const clients: MqttClient[] = [];
  const links: MqttLink[] = [];

  before(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
  });
  afterEach(async () => {
    await Promise.all([...clients.splice(0).map((c) => c.endAsync(true)), ...links.splice(0).map((l) => l.end())]);
  });
  after(() => broker.close());

  it("abandons publishes awaiting their PUBACK when the connection closes: each fails, none is resent on the next connection", async () => {
    const url = `mqtt://127.0.0.1:${broker.port}`;
    const app = await client(url, `app-${process.pid}`, "android");
    clients.push(app);
    await app.subscribeAsync("webos/android/info", { qos: 1 });
    const received: string[] = [];
    app.on("message", (_topic, payload) => received.push(payload.toString()));
    const link = new MqttLink("outbound", url, { clientId: `link-${process.pid}`, clean: true, protocolVersion: 4, ...bridgeCredentials }, { minMs: 20, maxMs: 100 }, quietLog, () => undefined, (l) => l.abandonOutgoing());
    links.push(link);
    await until(() => link.connected, 10_000, "connected");
    const outcomes: (string | undefined)[] = [];
    for (const n of [1, 2, 3]) link.client.publish("webos/android/info", `m${n}`, { qos: 1 }, (err) => void outcomes.push(err?.message));
    // Closed before any PUBACK can have been read: the PUBACKs come back on a later turn of the event loop.
    link.drop();
    await until(() => outcomes.length === 3, 10_000, "three outcomes");
    assert.ok(outcomes.every((m) => m !== undefined && /connection closed/.test(m)), JSON.stringify(outcomes));
    await until(() => link.connected && link.generation === 2, 10_000, "reconnected");
    // The store is resent first on a new connection, so a resend would reach the app before this marker.
    await link.client.publishAsync("webos/android/info", "marker", { qos: 1 });
    await until(() => received.includes("marker"), 10_000, "marker");
    for (const n of [1, 2, 3]) assert.ok(received.filter((m) => m === `m${n}`).length <= 1, JSON.stringify(received));
  });
});
