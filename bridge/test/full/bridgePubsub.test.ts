import { strict as assert } from "node:assert";
import type { PubSub } from "@google-cloud/pubsub";
import { z } from "zod";
import { InboundAttributesSchema, inboundAttributes } from "@wolley/contract";
import { pubsubOutbound } from "../../../functions/src/integrations/pubsubOutbound";
import { Bridge, parseOutbound } from "../../src/bridge";
import { startEmbeddedBroker } from "../../src/embeddedBroker";
import { googlePubSub } from "../../src/googlePubsub";
import type { PubSubPort, ReceivedMessage } from "../../src/pubsub";
import { bridgeCredentials, client, quietLog, until, waitForMessage } from "../support/bridgePipeline";

const WAIT_MS = 15_000;

const PullResponseSchema = z.object({
  receivedMessages: z.array(z.object({ message: z.object({ messageId: z.string() }) })).optional(),
});

/**
 * The bridge service's Google Pub/Sub port and the functions' outbound port against the Pub/Sub emulator: what
 * one side publishes the other receives unchanged, and acks, nacks, flow control and dead-lettering behave as the
 * bridge's delivery guarantees assume. Topics and subscriptions are created here, named uniquely per run.
 */
describe("bridge Pub/Sub (Pub/Sub emulator)", function () {
  this.timeout(60_000);
  const emulatorHost = process.env.PUBSUB_EMULATOR_HOST;
  const project = process.env.GCLOUD_PROJECT ?? "demo-wolley";
  const run = `${process.pid}-${Date.now().toString(36)}`;
  let admin: PubSub | undefined;
  let port: PubSubPort | undefined;
  const subscriberErrors: string[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  let n = 0;

  before(async function () {
    if (!emulatorHost) {
      console.log("skipped: PUBSUB_EMULATOR_HOST is unset (run under firebase emulators:exec with the Pub/Sub emulator)");
      this.skip();
    }
    const { PubSub: Client } = await import("@google-cloud/pubsub");
    admin = new Client({ projectId: project });
    port = await googlePubSub(project, (err) => subscriberErrors.push(err.message));
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  after(async () => {
    await port?.close();
    await admin?.close();
  });

  /** A fresh topic with one subscription; deleted again after the test. */
  async function topicWithSubscription(role: string): Promise<{ topic: string; subscription: string }> {
    n += 1;
    const topic = `bridge-${role}-${run}-${n}`;
    const [created] = await admin!.createTopic(topic);
    cleanups.push(() => created.delete());
    const [subscription] = await created.createSubscription(`${topic}-sub`, { ackDeadlineSeconds: 10 });
    cleanups.push(() => subscription.delete());
    return { topic, subscription: `${topic}-sub` };
  }

  /** Every delivery on `subscription` through the port, in order; `settle` acks or nacks each (ack by default). */
  function deliveries(subscription: string, maxInFlight: number, settle: (m: ReceivedMessage, nth: number) => void = (m) => m.ack()): ReceivedMessage[] {
    const seen: ReceivedMessage[] = [];
    const handle = port!.subscribe(subscription, maxInFlight, (m) => {
      seen.push(m);
      settle(m, seen.filter((s) => s.id === m.id).length);
    });
    cleanups.push(() => handle.close());
    return seen;
  }

  /**
   * Ids of the messages still waiting on `subscription`, pulled once without waiting for more. Closing a port
   * subscription first flushes its acks, so this shows exactly what Pub/Sub would deliver again.
   */
  async function waiting(subscription: string): Promise<string[]> {
    const response = await fetch(`http://${emulatorHost}/v1/projects/${project}/subscriptions/${subscription}:pull`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ returnImmediately: true, maxMessages: 100 }),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return (PullResponseSchema.parse(await response.json()).receivedMessages ?? []).map((m) => m.message.messageId);
  }

  /** Closes the subscriber `deliveries` opened last, flushing its acks. */
  async function closeLastSubscriber(): Promise<void> {
    for (const cleanup of cleanups.splice(cleanups.length - 1)) await cleanup();
  }

  it("delivers the published bytes and attributes with the id publish resolved with", async () => {
    const { topic, subscription } = await topicWithSubscription("data");
    const got = deliveries(subscription, 10);
    // MQTT payloads are bytes, not text: invalid UTF-8 must survive the trip.
    const data = Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x22]);
    const attributes = inboundAttributes("webos/server", 1, Date.UTC(2026, 10, 27), "mqtt-delivery-1");
    const id = await port!.publish(topic, data, attributes);
    assert.ok(id.length > 0);
    await until(() => got.length >= 1, WAIT_MS, "the delivery");
    assert.equal(got[0]?.id, id);
    assert.deepEqual(got[0]?.data, data);
    assert.deepEqual({ ...got[0]?.attributes }, attributes);
    await closeLastSubscriber();
    assert.deepEqual(await waiting(subscription), []);
    assert.deepEqual(subscriberErrors, []);
  });

  it("redelivers a nacked message until it is acked, and never an acked one", async () => {
    const { topic, subscription } = await topicWithSubscription("nack");
    const got = deliveries(subscription, 10, (m, nth) => (m.attributes.kind === "retry" && nth < 3 ? m.nack() : m.ack()));
    const acked = await port!.publish(topic, Buffer.from("once"), { kind: "once" });
    const retried = await port!.publish(topic, Buffer.from("retry"), { kind: "retry" });
    await until(() => got.filter((m) => m.id === retried).length >= 3, WAIT_MS, "the nacked message twice more");
    const redelivered = got.filter((m) => m.id === retried);
    assert.deepEqual(redelivered.map((m) => m.data.toString()), ["retry", "retry", "retry"]);
    await closeLastSubscriber();
    assert.deepEqual(await waiting(subscription), []);
    assert.equal(got.filter((m) => m.id === acked).length, 1);
    assert.deepEqual(subscriberErrors, []);
  });

  it("keeps at most maxInFlight messages unsettled at a time and still delivers them all", async () => {
    const { topic, subscription } = await topicWithSubscription("flow");
    const maxInFlight = 3;
    let unsettled = 0;
    let most = 0;
    const got = deliveries(subscription, maxInFlight, (m) => {
      unsettled += 1;
      most = Math.max(most, unsettled);
      // Settling later than the delivery is what lets the flow control be observed at all.
      setTimeout(() => {
        unsettled -= 1;
        m.ack();
      }, 5);
    });
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => port!.publish(topic, Buffer.from(String(i)), {})));
    await until(() => ids.every((id) => got.some((m) => m.id === id)), WAIT_MS, "all 20 messages");
    assert.ok(most <= maxInFlight, `${most} unsettled at once`);
    assert.ok(most >= 1);
    await until(() => unsettled === 0, WAIT_MS, "the last acks");
    await closeLastSubscriber();
    assert.deepEqual(await waiting(subscription), []);
    assert.deepEqual(subscriberErrors, []);
  });

  it("pubsubOutbound publishes what the bridge parses, and refuses an invalid message before publishing it", async () => {
    const { topic, subscription } = await topicWithSubscription("outbound");
    const outbound = pubsubOutbound(() => topic);
    const message = { topic: "webos/android/info", payload: JSON.stringify({ command: "return_name", name: "김철수" }), qos: 1 as const };
    await assert.rejects(outbound.publish({ ...message, topic: "webos/#" }), /MQTT topic/);
    await outbound.publish(message);
    const got = deliveries(subscription, 10);
    await until(() => got.length >= 1, WAIT_MS, "the outbound message");
    assert.deepEqual(parseOutbound(got[0]!.data), { ok: true, value: message });
    assert.deepEqual({ ...got[0]?.attributes }, { mqttTopic: "webos/android/info" });
    await closeLastSubscriber();
    assert.deepEqual(await waiting(subscription), []);
    assert.equal(got.length, 1);
  });

  it("carries device messages in and commands out through the bridge, and dead-letters an invalid command once", async () => {
    const inbound = await topicWithSubscription("in");
    const outboundTopic = await topicWithSubscription("out");
    const deadLetter = await topicWithSubscription("dead");
    const broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    cleanups.push(() => broker.close());
    const url = `mqtt://127.0.0.1:${broker.port}`;
    const bridge = new Bridge({
      mqtt: { url, clientId: `bridge-${run}`, topics: ["webos/server"], ...bridgeCredentials },
      pubsub: port!,
      inboundTopic: inbound.topic,
      outboundSubscription: outboundTopic.subscription,
      deadLetterTopic: deadLetter.topic,
      maxInFlight: 10,
      reconnect: { minMs: 50, maxMs: 1_000 },
      log: quietLog,
    });
    bridge.start();
    cleanups.push(() => bridge.stop(1_000));
    await bridge.whenReady(WAIT_MS);
    const device = await client(url, `device-${run}`);
    cleanups.push(() => device.endAsync(true));
    await device.subscribeAsync("webos/android/info", { qos: 1 });
    const forwarded = deliveries(inbound.subscription, 10);
    const dead = deliveries(deadLetter.subscription, 10);

    const signin = JSON.stringify({ Producer: "car", command: "signin", UID: "u1" });
    await device.publishAsync("webos/server", signin, { qos: 1 });
    await until(() => forwarded.length >= 1, WAIT_MS, "the forwarded device message");
    assert.equal(forwarded[0]?.data.toString(), signin);
    const attributes = InboundAttributesSchema.parse({ ...forwarded[0]?.attributes });
    assert.equal(attributes.mqttTopic, "webos/server");
    assert.equal(attributes.qos, "1");

    const reply = waitForMessage(device, "webos/android/info", WAIT_MS);
    const invalidId = await admin!.topic(outboundTopic.topic).publishMessage({ data: Buffer.from("not json"), attributes: { origin: "test" } });
    await pubsubOutbound(() => outboundTopic.topic).publish({ topic: "webos/android/info", payload: "Kim", qos: 1 });
    assert.equal(await reply, "Kim");
    await until(() => dead.length >= 1, WAIT_MS, "the dead letter");
    assert.deepEqual(dead[0]?.data, Buffer.from("not json"));
    assert.deepEqual({ ...dead[0]?.attributes }, { origin: "test", deadLetterReason: "payload is not JSON", originalMessageId: invalidId });

    await bridge.stop(1_000);
    assert.deepEqual(await waiting(outboundTopic.subscription), []);
    const metrics = bridge.metrics();
    assert.equal(metrics.deadLettered, 1);
    assert.equal(metrics.outboundDelivered, 1);
    assert.deepEqual(subscriberErrors, []);
  });
});
