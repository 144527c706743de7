import { strict as assert } from "node:assert";
import type { MqttClient } from "mqtt";
import { Bridge } from "../src/bridge";
import { startHealthServer } from "../src/health";
import { MemoryPubSub } from "../src/memoryPubsub";
import { BROKERS, useBroker } from "./support/brokers";
import { DEAD_LETTER, INBOUND, OUTBOUND, type Pipeline, bridgeCredentials, client, quietLog, startPipeline, until, waitForMessage } from "./support/bridgePipeline";
import { fakeIdToken } from "../../functions/test/bridge/fakeIdentity";

/** Messages in the broker-kill test: small for CI, 20,000 for a release check; four kinds, so a multiple of 4. */
const KILL_MESSAGES = Math.max(4, Math.floor(Number(process.env.BRIDGE_KILL_MESSAGES ?? 1_000) / 4) * 4);

/** A valid one-time schedule under `title`, as an app sends it with add_schedule. */
function killSchedule(title: string) {
  return {
    title, name: title, enabled: true, repeat: false, daysOfWeek: [false, false, false, false, false, false, false],
    activeDate: "2026-11-27", startTime: "1900", modeNum: 2, airconEnable: 2, airconWindPower: 0, lightEnable: 1,
    lightBrightness: 5, lightColor: 1, lightMode: 0, windowOpen: 0, gasValveEnable: 0,
  };
}

for (const kind of BROKERS) {
  describe(`bridge end to end on ${kind.name}`, function () {
    this.timeout(180_000);
    const clients: MqttClient[] = [];
    const broker = useBroker(kind, clients);
    const pipelines: Pipeline[] = [];
    let n = 0;
    const clientId = (role: string) => `${role}-${kind.name}-${process.pid}-${++n}`;

    afterEach(async () => {
      await Promise.all(pipelines.splice(0).map((p) => p.stop()));
    });

    async function connect(role: string, username = "android"): Promise<MqttClient> {
      const c = await client(broker().url, clientId(role), username);
      clients.push(c);
      return c;
    }

    async function pipeline(withFunction = true): Promise<Pipeline> {
      const p = await startPipeline(broker().url, clientId("bridge"), { withFunction });
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

    it("answers a signin sent twice on purpose twice: identical fresh publishes are two messages with their own ids", async () => {
      const p = await pipeline();
      await p.store.upsertUserAccount("u2", "Lee");
      const app = await connect("app");
      await app.subscribeAsync("webos/android/info", { qos: 1 });
      const replies: string[] = [];
      app.on("message", (_topic, payload) => replies.push(payload.toString()));
      const signin = JSON.stringify({ Producer: "android", command: "signin", UID: "u2", idToken: fakeIdToken("u2") });
      await app.publishAsync("webos/server", signin, { qos: 1 });
      await app.publishAsync("webos/server", signin, { qos: 1 });
      await until(() => replies.length === 2, 15_000, "two replies");
      const forwarded = p.pubsub.published.get(INBOUND) ?? [];
      assert.equal(forwarded.length, 2);
      assert.equal(new Set(forwarded.map((m) => m.attributes.messageId)).size, 2);
      assert.equal(p.bridge.metrics().redeliveriesSkipped, 0);
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
        mqtt: { url: broker().url, clientId: id, topics: ["webos/server"], ...bridgeCredentials },
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

    it(`loses none and applies none twice of ${KILL_MESSAGES} messages when the broker is killed mid-stream (BRIDGE_KILL_MESSAGES)`, async function () {
      this.timeout(Math.max(180_000, KILL_MESSAGES * 30));
      const p = await pipeline();
      // Effects counted where they happen: writes in the store (accounts, schedules, statuses), replies on their way
      // to the devices.
      const counted = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
      const accounts = new Map<string, number>();
      const schedules = new Map<string, number>();
      const upsert = p.store.upsertUserAccount.bind(p.store);
      p.store.upsertUserAccount = (uid, name) => {
        counted(accounts, uid);
        return upsert(uid, name);
      };
      const putSchedule = p.store.putSchedule.bind(p.store);
      p.store.putSchedule = (schedule) => {
        counted(schedules, schedule.title);
        return putSchedule(schedule);
      };
      const device = await connect("device");
      const home = await connect("home", "smarthome");
      const total = KILL_MESSAGES;
      const each = total / 4;
      // Four kinds in turn, every message different: a signup (an account write); a signin of the user signed up just
      // before (one reply, return_name or "unknown user" depending on which the function saw first); an add_schedule
      // (a schedule write); a status report from the home (a status write; the five free digits count the messages).
      const message = (seq: number): { client: MqttClient; topic: string; payload: string } => {
        const uid = `u${seq - (seq % 4)}`;
        const n = Math.floor(seq / 4);
        switch (seq % 4) {
          case 0:
            return { client: device, topic: "webos/server", payload: JSON.stringify({ Producer: "android", command: "signup", UID: uid, name: `n${seq}`, idToken: fakeIdToken(uid) }) };
          case 1:
            return { client: device, topic: "webos/server", payload: JSON.stringify({ Producer: "android", command: "signin", UID: uid, idToken: fakeIdToken(uid), seq }) };
          case 2:
            return { client: device, topic: "webos/server", payload: JSON.stringify({ Producer: "android", command: "add_schedule", schedule: killSchedule(`s${seq}`), idToken: fakeIdToken(uid, { member: true }) }) };
          default: {
            const [a, b, c, d, e] = String(n % 100_000).padStart(5, "0");
            return { client: home, topic: "data/smarthome", payload: `${a}0${b}0${c}${d}${e}00` };
          }
        }
      };
      let acked = 0;
      let restarted = false;
      const restart = (async () => {
        await until(() => p.bridge.metrics().forwarded >= total * 0.3, 600_000, "30% forwarded");
        await broker().restart(200);
        restarted = true;
      })();
      for (let seq = 0; seq < total; seq += 1) {
        const { client: sender, topic, payload } = message(seq);
        sender.publish(topic, payload, { qos: 1 }, (err) => {
          if (!err) acked += 1;
        });
        if (seq - acked > 50) await until(() => seq - acked <= 50, 120_000, "publisher window");
      }
      await restart;
      await until(() => acked === total, 120_000, "all publishes acked by the broker");
      const replies = () => (p.pubsub.published.get(OUTBOUND) ?? []).map((m) => JSON.parse(m.data.toString()) as { payload: string });
      const applied = () => ({ accounts: accounts.size, schedules: schedules.size, statuses: new Set(p.store.statuses).size, replies: Math.min(each, replies().length) });
      // A message lost is one of these never reaching `each`: the wait fails saying which.
      await until(() => Object.values(applied()).every((n) => n === each), Math.max(120_000, total * 20), "every message applied").catch((err: Error) => {
        throw new Error(`${err.message}; applied ${JSON.stringify(applied())} of ${each} each`);
      });
      // Give late redeliveries their chance to show up as second effects.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const twice = (counts: Map<string, number>) => [...counts.values()].filter((c) => c > 1).length;
      const duplicates = {
        accounts: twice(accounts),
        schedules: twice(schedules),
        statuses: p.store.statuses.length - new Set(p.store.statuses).size,
        replies: replies().length - each,
      };
      const forwarded = p.pubsub.publishedCount.get(INBOUND) ?? 0;
      const m = p.bridge.metrics();
      console.log(
        `      ${kind.name}: ${total} messages, restarted=${restarted}, all ${each} of each kind applied, ` +
          `duplicate effects: ${duplicates.accounts} account writes, ${duplicates.schedules} schedule writes, ${duplicates.statuses} status writes, ${duplicates.replies} replies; ` +
          `bridge forwarded ${forwarded}, skipped ${m.redeliveriesSkipped} redeliveries, ${m.reconnects} reconnects`,
      );
      assert.ok(restarted);
      assert.deepEqual(duplicates, { accounts: 0, schedules: 0, statuses: 0, replies: 0 });
      assert.equal(p.alerts.length, 0, "no message rejected");
    });

    it("refuses a payload over maxPayloadBytes: acked, counted, logged, not forwarded", async () => {
      const pubsub = new MemoryPubSub();
      pubsub.createSubscription(OUTBOUND, "out-sub");
      const events: string[] = [];
      const bridge = new Bridge({
        mqtt: { url: broker().url, clientId: clientId("bridge"), topics: ["webos/server"], ...bridgeCredentials },
        pubsub,
        inboundTopic: INBOUND,
        outboundSubscription: "out-sub",
        maxInFlight: 10,
        maxPayloadBytes: 1_000,
        reconnect: { minMs: 50, maxMs: 1_000 },
        log: (event) => void events.push(event),
      });
      bridge.start();
      try {
        await bridge.whenReady(15_000);
        const device = await connect("device");
        await device.publishAsync("webos/server", "x".repeat(1_001), { qos: 1 });
        await device.publishAsync("webos/server", "small", { qos: 1 });
        await until(() => (pubsub.publishedCount.get(INBOUND) ?? 0) === 1, 15_000, "the small one forwarded");
        assert.equal(pubsub.published.get(INBOUND)?.[0]?.data.toString(), "small");
        assert.equal(bridge.metrics().payloadsRefused, 1);
        assert.ok(events.includes("inbound_payload_refused"));
      } finally {
        await bridge.stop(1_000);
      }
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
