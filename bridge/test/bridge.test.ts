import { strict as assert } from "node:assert";
import type { MqttClient } from "mqtt";
import { Bridge } from "../src/bridge";
import { startHealthServer } from "../src/health";
import { MemoryPubSub } from "../src/memoryPubsub";
import { BROKERS, type TestBroker } from "./support/brokers";
import { DEAD_LETTER, INBOUND, OUTBOUND, type Pipeline, bridgeCredentials, client, quietLog, startPipeline, until, waitForMessage } from "./support/bridgePipeline";
import { fakeIdToken } from "../../functions/test/bridge/fakeIdentity";

for (const kind of BROKERS) {
  describe(`bridge end to end on ${kind.name}`, function () {
    this.timeout(180_000);
    let broker: TestBroker | undefined;
    const clients: MqttClient[] = [];
    const pipelines: Pipeline[] = [];
    let n = 0;
    const clientId = (role: string) => `${role}-${kind.name}-${process.pid}-${++n}`;

    before(async function () {
      const reason = kind.unavailable();
      if (reason) {
        console.log(`      skipped: ${reason}`);
        this.skip();
      }
      broker = await kind.start();
    });

    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
      await Promise.all(pipelines.splice(0).map((p) => p.stop()));
    });

    after(async () => {
      await broker?.stop();
    });

    async function connect(role: string, username = "android"): Promise<MqttClient> {
      const c = await client(broker!.url, clientId(role), username);
      clients.push(c);
      return c;
    }

    async function pipeline(withFunction = true): Promise<Pipeline> {
      const p = await startPipeline(broker!.url, clientId("bridge"), { withFunction });
      pipelines.push(p);
      return p;
    }

    it("signup, then signin on webos/server is answered with return_name on webos/android/info", async () => {
      const p = await pipeline();
      const device = await connect("device");
      const app = await connect("app");
      await app.subscribeAsync("webos/android/info", { qos: 1 });
      await device.publishAsync("webos/server", JSON.stringify({ Producer: "android", command: "signup", UID: "u1", name: "Kim", idToken: fakeIdToken("u1") }), { qos: 1 });
      await until(() => p.store.users.has("u1"), 15_000, "signup stored");
      const reply = waitForMessage(app, "webos/android/info", 15_000);
      await device.publishAsync("webos/server", JSON.stringify({ Producer: "android", command: "signin", UID: "u1", idToken: fakeIdToken("u1") }), { qos: 1 });
      assert.deepEqual(JSON.parse(await reply), { Producer: "server", command: "return_name", name: "Kim" });
    });

    it("signin naming another user's UID without that user's token gets a warning, never the name", async () => {
      const p = await pipeline();
      await p.store.upsertUserAccount("kim", "Kim");
      const app = await connect("app");
      await app.subscribeAsync(["webos/android/info", "webos/android/error"], { qos: 1 });
      const answers: string[] = [];
      app.on("message", (topic, payload) => answers.push(`${topic} ${(JSON.parse(payload.toString()) as { reason?: string }).reason ?? "reply"}`));
      const signin = { Producer: "android", command: "signin", UID: "kim" };
      await app.publishAsync("webos/server", JSON.stringify(signin), { qos: 1 });
      await app.publishAsync("webos/server", JSON.stringify({ ...signin, idToken: fakeIdToken("mallory") }), { qos: 1 });
      await until(() => answers.length === 2, 15_000, "two answers");
      assert.deepEqual(answers.sort(), ["webos/android/error UID does not match idToken", "webos/android/error idToken required"].sort());
    });

    it("a data/smarthome status report reaches smarthome/status", async () => {
      const p = await pipeline();
      const home = await connect("home", "smarthome");
      await home.publishAsync("data/smarthome", "009060210", { qos: 1 });
      await until(() => p.store.statuses.includes("009060210"), 15_000, "status stored");
    });

    it("garbage is answered on the producer's error topic when it has one, and always alerted", async () => {
      const p = await pipeline();
      const device = await connect("device");
      const app = await connect("app");
      const home = await connect("home", "smarthome");
      await app.subscribeAsync("webos/android/error", { qos: 1 });
      await home.subscribeAsync("webos/smarthome/error", { qos: 1 });
      const warning = waitForMessage(app, "webos/android/error", 15_000);
      await device.publishAsync("webos/server", JSON.stringify({ Producer: "android", command: "dance" }), { qos: 1 });
      assert.equal((JSON.parse(await warning) as { reason: string }).reason, "unknown command");
      const statusWarning = waitForMessage(home, "webos/smarthome/error", 15_000);
      await home.publishAsync("data/smarthome", "0090602", { qos: 1 });
      assert.equal((JSON.parse(await statusWarning) as { reason: string }).reason, "malformed status");
      await device.publishAsync("webos/server", Buffer.from([0xff, 0x00, 0x13, 0x37]), { qos: 0 });
      await until(() => p.alerts.length === 3, 15_000, "three alerts");
      assert.deepEqual(p.store.statuses, []);
    });

    it("dead-letters an invalid outbound message with its reason instead of retrying it", async () => {
      const p = await pipeline(false);
      await p.pubsub.publish(OUTBOUND, Buffer.from(JSON.stringify({ topic: "webos/#", payload: "x", qos: 1 })), {});
      await until(() => (p.pubsub.published.get(DEAD_LETTER)?.length ?? 0) === 1, 15_000, "dead letter");
      assert.match(p.pubsub.published.get(DEAD_LETTER)?.[0]?.attributes.deadLetterReason ?? "", /topic/);
      assert.equal(p.bridge.metrics().deadLettered, 1);
    });

    it("retries failing Pub/Sub publishes without acking the broker, so a crash meanwhile redelivers", async () => {
      const id = clientId("bridge");
      const pubsub = new MemoryPubSub({ keepPublished: 100_000 });
      pubsub.createSubscription(OUTBOUND, "out");
      const options = {
        mqtt: { url: broker!.url, clientId: id, topics: ["webos/server"], ...bridgeCredentials },
        pubsub,
        inboundTopic: INBOUND,
        outboundSubscription: "out",
        maxInFlight: 10,
        reconnect: { minMs: 50, maxMs: 500 },
        publishRetry: { minMs: 5, maxMs: 20 },
        log: quietLog,
      };
      const first = new Bridge(options);
      first.start();
      await first.whenReady(15_000);
      const device = await connect("device");

      pubsub.failNextPublishes(3);
      await device.publishAsync("webos/server", "transient", { qos: 1 });
      await until(() => (pubsub.published.get(INBOUND)?.length ?? 0) === 1, 15_000, "forward after 3 failures");
      assert.equal(first.metrics().publishRetries, 3);

      pubsub.failNextPublishes(1_000_000);
      await device.publishAsync("webos/server", "outage", { qos: 1 });
      await until(() => first.metrics().publishRetries >= 10, 15_000, "retries during outage");
      await first.stop(0);
      pubsub.failNextPublishes(-pubsub.pendingFailures());
      const second = new Bridge(options);
      second.start();
      try {
        await second.whenReady(15_000);
        await until(() => (pubsub.published.get(INBOUND) ?? []).some((m) => m.data.toString() === "outage"), 30_000, "redelivery");
      } finally {
        await second.stop(1_000);
      }
    });

    it("loses none of 1,000 QoS 1 messages when the broker restarts mid-stream", async function () {
      const p = await pipeline(false);
      const device = await connect("device");
      const total = 1_000;
      let acked = 0;
      let restarted = false;
      const restart = (async () => {
        await until(() => p.bridge.metrics().forwarded >= 300, 60_000, "300 forwarded");
        await broker!.restart(200);
        restarted = true;
      })();
      for (let seq = 0; seq < total; seq += 1) {
        device.publish("webos/server", JSON.stringify({ seq }), { qos: 1 }, (err) => {
          if (!err) acked += 1;
        });
        if (seq - acked > 50) await until(() => seq - acked <= 50, 120_000, "publisher window");
      }
      await restart;
      await until(() => acked === total, 120_000, "all publishes acked by the broker");
      const seen = () => new Set((p.pubsub.published.get(INBOUND) ?? []).map((m) => (JSON.parse(m.data.toString()) as { seq: number }).seq));
      await until(() => seen().size === total, 120_000, "all 1,000 forwarded");
      const forwarded = p.pubsub.published.get(INBOUND)?.length ?? 0;
      console.log(`      ${kind.name}: restarted=${restarted}, ${total} distinct forwarded, ${forwarded - total} duplicates, ${p.bridge.metrics().reconnects} reconnects`);
      assert.ok(restarted);
    });

    it("serves /healthz always and /readyz only while connected and not draining", async () => {
      const p = await pipeline(false);
      const health = await startHealthServer("127.0.0.1", 0, p.bridge);
      try {
        const get = async (path: string) => (await fetch(`http://127.0.0.1:${health.port}${path}`)).status;
        assert.equal(await get("/healthz"), 200);
        assert.equal(await get("/readyz"), 200);
        await p.bridge.stop(1_000);
        assert.equal(await get("/readyz"), 503);
        assert.equal(await get("/healthz"), 200);
      } finally {
        await health.close();
      }
    });
  });
}
