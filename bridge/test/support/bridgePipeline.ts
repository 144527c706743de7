/**
 * The whole device ↔ function path in one process: a broker (passed in), the bridge, in-memory Pub/Sub, and
 * `mqttInbound` invoked through firebase-functions-test with the CloudEvent built from what the bridge published.
 */
import firebaseFunctionsTest from "firebase-functions-test";
import { PUBSUB } from "@wolley/contract";
import { type MqttClient, connectAsync } from "mqtt";
import { setInboundDeps } from "../../../functions/src/bridge/deps";
import { mqttInbound } from "../../../functions/src/bridge/mqttInbound";
import type { OutboundPort } from "../../../functions/src/integrations/outbound";
import { Bridge, type BridgeLog } from "../../src/bridge";
import { MemoryPubSub } from "../../src/memoryPubsub";
import { type MemoryBridgeStore, memoryBridgeStore } from "../../../functions/test/bridge/memoryStore";
import type { Alert } from "../../../functions/src/integrations/alerter";
import { cloudEventFor } from "../../../functions/test/support/pubsubEvents";
import { fakeIdentity } from "../../../functions/test/bridge/fakeIdentity";
import { LOCAL_BRIDGE_USER } from "../../src/localBrokerUsers";
import { localUser } from "./localUser";

export const INBOUND = PUBSUB.inboundTopic;
export const OUTBOUND = PUBSUB.outboundTopic;
export const DEAD_LETTER = PUBSUB.deadLetterTopic;

export const quietLog: BridgeLog = () => undefined;

export interface Pipeline {
  pubsub: MemoryPubSub;
  store: MemoryBridgeStore;
  alerts: Alert[];
  bridge: Bridge;
  invocations: { count: number; failures: number };
  stop(): Promise<void>;
}

export async function startPipeline(url: string, clientId: string, options: { withFunction?: boolean } = {}): Promise<Pipeline> {
  const pubsub = new MemoryPubSub({ redeliveryDelayMs: 10, keepPublished: 100_000 });
  pubsub.createSubscription(INBOUND, "eventarc-mqttInbound");
  pubsub.createSubscription(OUTBOUND, PUBSUB.outboundSubscription);
  const store = memoryBridgeStore();
  const alerts: Alert[] = [];
  const invocations = { count: 0, failures: 0 };
  const outbound: OutboundPort = {
    publish: async (m) => void (await pubsub.publish(OUTBOUND, Buffer.from(JSON.stringify(m)), {})),
  };
  if (options.withFunction !== false) {
    // Created here, not at import: firebase-functions-test's offline mode sets GCLOUD_PROJECT for the whole process,
    // which would point every emulator test that imports these helpers at a project that does not exist.
    const wrapped = firebaseFunctionsTest().wrap(mqttInbound);
    setInboundDeps({ store, outbound, alerter: { alert: (a) => Promise.resolve(void alerts.push(a)) }, identity: fakeIdentity() });
    pubsub.subscribe("eventarc-mqttInbound", 10, (m) => {
      invocations.count += 1;
      Promise.resolve(wrapped(cloudEventFor(m)) as Promise<void>).then(
        () => m.ack(),
        () => {
          invocations.failures += 1;
          m.nack();
        },
      );
    });
  }
  const bridge = new Bridge({
    mqtt: { url, clientId, topics: ["webos/server", "data/smarthome"], ...bridgeCredentials },
    pubsub,
    inboundTopic: INBOUND,
    outboundSubscription: PUBSUB.outboundSubscription,
    deadLetterTopic: DEAD_LETTER,
    maxInFlight: 50,
    reconnect: { minMs: 50, maxMs: 1_000 },
    publishRetry: { minMs: 5, maxMs: 50 },
    log: quietLog,
  });
  bridge.start();
  await bridge.whenReady(15_000);
  return {
    pubsub,
    store,
    alerts,
    bridge,
    invocations,
    async stop() {
      await bridge.stop(1_000);
      await pubsub.close();
      setInboundDeps(undefined);
    },
  };
}

/** The bridge's account on every local and test broker. */
export const bridgeCredentials = { username: LOCAL_BRIDGE_USER.username, password: LOCAL_BRIDGE_USER.password };

/** A device or app connected as the local broker account `username` (its device name: `android`, `smarthome`, …). */
export async function client(url: string, clientId?: string, username = "android"): Promise<MqttClient> {
  const { password } = localUser(username);
  return connectAsync(url, { ...(clientId ? { clientId } : {}), username, password, reconnectPeriod: 100, connectTimeout: 10_000 });
}

/** Resolves with the first message on `topic` matching `match` (the caller subscribed already), or rejects after `timeoutMs`. */
export function waitForMessage(c: MqttClient, topic: string, timeoutMs: number, match: (payload: string) => boolean = () => true): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      c.removeListener("message", onMessage);
      reject(new Error(`no message on ${topic} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (t: string, payload: Buffer) => {
      if (t === topic && match(payload.toString())) {
        clearTimeout(timer);
        c.removeListener("message", onMessage);
        resolve(payload.toString());
      }
    };
    c.on("message", onMessage);
  });
}

export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
