/**
 * Bridge throughput and latency on each real broker, against two baselines measured in the same run:
 * - direct: MQTT publish → subscribe on the same broker (the ceiling for anything riding on it);
 * - per-message connection: connect, publish, disconnect for every message (what the original server did).
 * Bridge figures: inbound = device → broker → bridge → Pub/Sub accepted; round trip = device → broker → bridge →
 * Pub/Sub → bridge → broker → subscriber. Pub/Sub is MemoryPubSub with a fixed delay per publish (0, 5 and 20 ms,
 * the range of a real round trip to Pub/Sub), which is what limits a bridge that forwards one message at a time.
 * Every mode keeps at most WINDOW messages sent and not yet received, so the latencies compare like with like
 * instead of measuring how much a broker can buffer; the window is larger than the bridge's own inbound window so
 * the bridge, not the publisher, is what is measured. aedes runs in a child process for every mode, as RabbitMQ
 * runs in its own, so no broker shares an event loop with what is measured.
 * Where the Google Cloud SDK's Pub/Sub emulator can start (found as `npm test` finds it), the inbound and round-trip
 * modes run once more with the bridge's production Pub/Sub adapter (the real @google-cloud/pubsub client, batching
 * included) against the emulator, on topics made for the run; those lines end in `pubsub=emulator` and add no delay
 * of their own. The emulator runs on a free loopback port only while its broker's lines are measured.
 * Memory: one more bridge forwards SUSTAINED_ROUNDS × the messages of a mode at 5 ms, and the heap left after a full
 * collection is printed after each round (`mode=sustained`): flat when nothing the bridge keeps grows with traffic.
 * Usage: npm run bench -- bridge (messages per mode: BENCH_BRIDGE_MESSAGES, default 20,000: shorter runs last a few
 * hundred milliseconds per mode, and on a shared machine their figures swing by a factor of two)
 */
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { type IClientOptions, type MqttClient, connectAsync } from "mqtt";
import { Bridge, DEFAULT_INBOUND_MAX_IN_FLIGHT } from "../../bridge/src/bridge";
import { googlePubSub } from "../../bridge/src/googlePubsub";
import { MemoryPubSub } from "../../bridge/src/memoryPubsub";
import type { PubSubPort } from "../../bridge/src/pubsub";
import { BROKERS } from "../../bridge/test/support/brokers";
import { type ChildBroker, startAedesProcess } from "./aedesBroker";
import { LOCAL_BRIDGE_USER } from "../../bridge/src/localBrokerUsers";
import { localUser } from "../../bridge/test/support/localUser";
import { type PubsubEmulator, startPubsubEmulator } from "./pubsubEmulator";
import { type Throughput, throughput } from "./stats";

/**
 * Every broker takes only its accounts and their topics (bridge/src/brokerAcl.ts), so the benchmark plays the home
 * reporting status on `data/smarthome` and the bridge reading it, as in production.
 */
const STATUS_TOPIC = "data/smarthome";
const COMMAND_TOPIC = "webos/smarthome/info";
const as = (username: string, clientId: string): IClientOptions => ({ clientId, username, password: localUser(username).password });

const MESSAGES = Number(process.argv[2] ?? process.env.BENCH_BRIDGE_MESSAGES ?? 20_000);
const PER_CONNECTION_MESSAGES = Math.min(MESSAGES, 300);
const WINDOW = 2 * DEFAULT_INBOUND_MAX_IN_FLIGHT;
const PUBLISH_LATENCIES_MS = [0, 5, 20];
const TIMEOUT_MS = 120_000;
const EMULATOR_PROJECT = "demo-wolley";
const EMULATOR_CALL_TIMEOUT_MS = 30_000;
const SUSTAINED_ROUNDS = 5;
const SUSTAINED_LATENCY_MS = 5;

/** A full collection on demand, without a launcher flag: the heap figures must not count garbage. */
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

interface Result extends Throughput {
  label: string;
}

/** Arrival times by sequence number; wakes the publisher when the window has room again, without polling. */
class Sink {
  readonly at = new Map<number, number>();
  private waiter?: { ready: () => boolean; resolve: () => void };

  record(seq: number): void {
    if (!this.at.has(seq)) this.at.set(seq, performance.now());
    if (this.waiter?.ready()) {
      this.waiter.resolve();
      this.waiter = undefined;
    }
  }

  wait(ready: () => boolean, what: string): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), TIMEOUT_MS);
      this.waiter = {
        ready,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }
}

let runs = 0;

/** Publishes `count` stamped messages keeping at most WINDOW in flight end to end. */
async function measure(label: string, count: number, publish: (seq: number, payload: string) => Promise<void> | void, sink: Sink): Promise<Result> {
  const sent = new Map<number, number>();
  const run = `${label}-${++runs}`;
  const started = performance.now();
  for (let seq = 0; seq < count; seq += 1) {
    sent.set(seq, performance.now());
    // The run in the payload keeps modes apart: the bridge treats an identical topic and payload as a redelivery.
    await publish(seq, JSON.stringify({ seq, run }));
    const next = seq + 1;
    await sink.wait(() => next - sink.at.size < WINDOW, `${label} window`);
  }
  await sink.wait(() => sink.at.size >= count, `${label}: ${count} received`);
  const elapsed = performance.now() - started;
  const latencies = [...sink.at.entries()].map(([seq, at]) => at - (sent.get(seq) ?? at));
  return { label, ...throughput(latencies, elapsed) };
}

function seqOf(payload: Buffer): number {
  return (JSON.parse(payload.toString()) as { seq: number }).seq;
}

function recorder(sink: Sink) {
  return (_topic: string, payload: Buffer) => sink.record(seqOf(payload));
}

async function direct(url: string, id: string): Promise<Result> {
  const sub = await connectAsync(url, as(LOCAL_BRIDGE_USER.username, `${id}-sub`));
  const pub = await connectAsync(url, as("smarthome", `${id}-pub`));
  try {
    const received = new Sink();
    await sub.subscribeAsync(STATUS_TOPIC, { qos: 1 });
    sub.on("message", recorder(received));
    return await measure("direct", MESSAGES, (_seq, payload) => void pub.publish(STATUS_TOPIC, payload, { qos: 1 }), received);
  } finally {
    await Promise.all([sub.endAsync(true), pub.endAsync(true)]);
  }
}

async function perMessageConnection(url: string, id: string): Promise<Result> {
  const sub = await connectAsync(url, as(LOCAL_BRIDGE_USER.username, `${id}-sub`));
  try {
    const received = new Sink();
    await sub.subscribeAsync(STATUS_TOPIC, { qos: 1 });
    sub.on("message", recorder(received));
    return await measure(
      "per-connection",
      PER_CONNECTION_MESSAGES,
      async (seq, payload) => {
        const c: MqttClient = await connectAsync(url, { ...as("smarthome", `${id}-p${seq}`), reconnectPeriod: 0 });
        await c.publishAsync(STATUS_TOPIC, payload, { qos: 1 });
        await c.endAsync();
      },
      received,
    );
  } finally {
    await sub.endAsync(true);
  }
}

/** A Pub/Sub for one bridge mode: the port, an inbound and an outbound topic with a subscription each. */
interface BenchPubSub {
  port: PubSubPort;
  inbound: { topic: string; subscription: string };
  outbound: { topic: string; subscription: string };
  close(): Promise<void>;
}

function memoryPubSub(publishLatencyMs: number): BenchPubSub {
  const port = new MemoryPubSub({ publishLatencyMs });
  port.createSubscription("in", "in-sub");
  port.createSubscription("out", "out-sub");
  return { port, inbound: { topic: "in", subscription: "in-sub" }, outbound: { topic: "out", subscription: "out-sub" }, close: () => port.close() };
}

function within<T>(promise: Promise<T>, what: string, ms = EMULATOR_CALL_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The bridge's production adapter against the emulator, on topics and subscriptions named for this mode. The client
 * library reads the emulator's address from the environment when a client is created, so it is set only meanwhile.
 */
async function emulatorPubSub(emulator: PubsubEmulator, id: string): Promise<BenchPubSub> {
  const saved = Object.keys(emulator.clientEnv).map((name) => [name, process.env[name]] as const);
  const restore = () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  const { PubSub } = await import("@google-cloud/pubsub");
  Object.assign(process.env, emulator.clientEnv);
  const admin = new PubSub({ projectId: EMULATOR_PROJECT });
  try {
    const pair = async (role: string) => {
      const [topic] = await within(admin.createTopic(`${id}-${role}`), `creating topic ${id}-${role}`);
      await within(topic.createSubscription(`${id}-${role}-sub`), `creating subscription ${id}-${role}-sub`);
      return { topic: `${id}-${role}`, subscription: `${id}-${role}-sub` };
    };
    const inbound = await pair("in");
    const outbound = await pair("out");
    const errors = new Set<string>();
    const port = await googlePubSub(EMULATOR_PROJECT, (err) => {
      if (!errors.has(err.message)) console.error(`  pubsub=emulator subscriber error: ${err.message}`);
      errors.add(err.message);
    });
    return {
      port,
      inbound,
      outbound,
      async close() {
        try {
          await within(port.close(), "closing the bridge's Pub/Sub client");
          await within(admin.close(), "closing the admin client");
        } finally {
          restore();
        }
      },
    };
  } catch (err) {
    await within(admin.close(), "closing the admin client").catch(() => undefined);
    restore();
    throw err;
  }
}

/**
 * Runs `body` with a bridge between the broker and `pubsub`, then stops it, closes `pubsub` and ends the bridge's
 * persistent session, whatever `body` did.
 */
async function withBridge<T>(url: string, id: string, pubsub: BenchPubSub, body: () => Promise<T>): Promise<T> {
  const bridgeId = `${id}-bridge`;
  const bridge = new Bridge({
    mqtt: { url, clientId: bridgeId, topics: [STATUS_TOPIC], username: LOCAL_BRIDGE_USER.username, password: LOCAL_BRIDGE_USER.password },
    pubsub: pubsub.port,
    inboundTopic: pubsub.inbound.topic,
    outboundSubscription: pubsub.outbound.subscription,
    maxInFlight: 500,
    inboundMaxInFlight: DEFAULT_INBOUND_MAX_IN_FLIGHT,
    reconnect: { minMs: 100, maxMs: 2_000 },
    log: () => undefined,
  });
  bridge.start();
  try {
    await bridge.whenReady(15_000);
    return await body();
  } finally {
    await bridge.stop(5_000);
    await pubsub.close();
    await discardSession(url, bridgeId);
  }
}

function throughBridge(url: string, id: string, pubsub: BenchPubSub): Promise<Result[]> {
  return withBridge(url, id, pubsub, async () => {
    const sub = await connectAsync(url, as("smarthome", `${id}-sub`));
    const pub = await connectAsync(url, as("smarthome", `${id}-pub`));
    try {
      // Inbound only: the Pub/Sub subscriber records arrival and acks.
      const inbound = new Sink();
      let echo = false;
      const consumer = pubsub.port.subscribe(pubsub.inbound.subscription, WINDOW, (m) => {
        if (echo) {
          void pubsub.port.publish(pubsub.outbound.topic, Buffer.from(JSON.stringify({ topic: COMMAND_TOPIC, payload: m.data.toString(), qos: 1 })), {}).then(() => m.ack());
          return;
        }
        inbound.record(seqOf(m.data));
        m.ack();
      });
      const inboundResult = await measure("inbound", MESSAGES, (_s, payload) => void pub.publish(STATUS_TOPIC, payload, { qos: 1 }), inbound);

      // Round trip: an echo consumer turns each inbound message into an outbound one, as mqttInbound does with replies.
      echo = true;
      const roundTrip = new Sink();
      await sub.subscribeAsync(COMMAND_TOPIC, { qos: 1 });
      sub.on("message", recorder(roundTrip));
      const roundTripResult = await measure("roundtrip", MESSAGES, (_s, payload) => void pub.publish(STATUS_TOPIC, payload, { qos: 1 }), roundTrip);
      await within(consumer.close(), "closing the echo consumer");
      return [inboundResult, roundTripResult];
    } finally {
      await Promise.all([sub.endAsync(true), pub.endAsync(true)]);
    }
  });
}

/** The heap (MB, after a full collection) after each round of MESSAGES inbound messages through one bridge. */
function sustained(url: string, id: string): Promise<number[]> {
  const pubsub = memoryPubSub(SUSTAINED_LATENCY_MS);
  return withBridge(url, id, pubsub, async () => {
    const pub = await connectAsync(url, as("smarthome", `${id}-pub`));
    const heapMb: number[] = [];
    try {
      for (let round = 0; round < SUSTAINED_ROUNDS; round += 1) {
        const sink = new Sink();
        const consumer = pubsub.port.subscribe(pubsub.inbound.subscription, WINDOW, (m) => {
          sink.record(seqOf(m.data));
          m.ack();
        });
        await measure("sustained", MESSAGES, (_s, payload) => void pub.publish(STATUS_TOPIC, payload, { qos: 1 }), sink);
        await within(consumer.close(), "closing the consumer");
        collectGarbage();
        heapMb.push(process.memoryUsage().heapUsed / 1e6);
      }
      return heapMb;
    } finally {
      await pub.endAsync(true);
    }
  });
}

/**
 * Ends a stopped bridge's persistent session. Left in place, the broker keeps queueing every later message for it
 * (RabbitMQ in a durable queue, written to disk), which would slow each following mode by one more queue.
 */
async function discardSession(url: string, clientId: string): Promise<void> {
  const c = await connectAsync(url, { ...as(LOCAL_BRIDGE_USER.username, clientId), clean: true });
  await c.endAsync();
}

interface Measured extends Result {
  publishLatencyMs: number;
}

function line(broker: string, r: Measured, suffix = ""): string {
  return `bridge broker=${broker} mode=${r.label} publish_latency_ms=${r.publishLatencyMs} msg_per_s=${r.perSecond.toFixed(0)} p99_ms=${r.p99.toFixed(1)}${suffix}`;
}

/**
 * Inbound and round trip through the real Pub/Sub client and the emulator, which is started for them and stopped
 * after. Returns why it could not start, so the caller reports that once and does not try again.
 */
async function throughEmulator(broker: string, url: string, id: string): Promise<string | undefined> {
  const started = await startPubsubEmulator();
  if (!started.ok) return started.why;
  try {
    const pubsub = await emulatorPubSub(started.emulator, `${id}-emulator`);
    for (const r of await throughBridge(url, `${id}-emulator`, pubsub)) console.log(line(broker, { ...r, publishLatencyMs: 0 }, " pubsub=emulator"));
    return undefined;
  } finally {
    await started.emulator.stop();
  }
}

async function main(): Promise<void> {
  console.log(
    `bridge benchmark: ${MESSAGES} QoS 1 messages per mode (${PER_CONNECTION_MESSAGES} for per-connection), window ${WINDOW}, ` +
      `Pub/Sub = MemoryPubSub with publish_latency_ms per publish (pubsub=emulator: the Google client and the Pub/Sub emulator), ` +
      `node ${process.version}`,
  );
  let emulatorSkipped: string | undefined;
  for (const kind of BROKERS) {
    const reason = kind.unavailable();
    if (reason) {
      console.log(`bridge broker=${kind.name} skipped: ${reason}`);
      continue;
    }
    let broker: ChildBroker | undefined;
    try {
      broker = kind.name === "aedes" ? await startAedesProcess() : await kind.start();
      const id = `bench-${kind.name}-${process.pid}`;
      const baseline: Measured = { ...(await direct(broker.url, `${id}-direct`)), publishLatencyMs: 0 };
      const perConnection: Measured = { ...(await perMessageConnection(broker.url, `${id}-perconn`)), publishLatencyMs: 0 };
      console.log(line(kind.name, baseline));
      console.log(line(kind.name, perConnection));
      const bridged: Measured[] = [];
      for (const latency of PUBLISH_LATENCIES_MS) {
        for (const r of await throughBridge(broker.url, `${id}-${latency}`, memoryPubSub(latency))) {
          const m = { ...r, publishLatencyMs: latency };
          bridged.push(m);
          console.log(line(kind.name, m));
        }
      }
      for (const r of bridged.filter((m) => m.label === "inbound" && m.publishLatencyMs === 20)) {
        const ofDirect = r.perSecond / baseline.perSecond;
        console.log(`  ${kind.name} inbound at 20 ms: ${(ofDirect * 100).toFixed(0)}% of direct (target ≥ 50%: ${ofDirect >= 0.5 ? "met" : "MISSED"}), ${(r.perSecond / perConnection.perSecond).toFixed(1)}× per-connection`);
      }
      const heapMb = await sustained(broker.url, `${id}-sustained`);
      console.log(
        `bridge broker=${kind.name} mode=sustained publish_latency_ms=${SUSTAINED_LATENCY_MS} messages=${SUSTAINED_ROUNDS * MESSAGES} ` +
          `heap_mb_after_each_${MESSAGES}=${heapMb.map((mb) => mb.toFixed(1)).join(",")}`,
      );
      if (emulatorSkipped === undefined) {
        emulatorSkipped = await throughEmulator(kind.name, broker.url, id);
        if (emulatorSkipped !== undefined) console.log(`bridge pubsub=emulator skipped: ${emulatorSkipped}`);
      }
    } finally {
      await broker?.stop();
    }
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
