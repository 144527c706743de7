/**
 * Entry point of the bridge container: `node lib/main.js`. Reads its settings from the environment
 * (see docs/bridge.md), exits with status 2 and the list of problems when they are invalid.
 */
import { PUBSUB } from "@wolley/contract";
import { Bridge, jsonLineLog } from "./bridge";
import { type BridgeConfig, ConfigError, loadConfig } from "./config";
import { type EmbeddedBroker, startEmbeddedBroker } from "./embeddedBroker";
import { googlePubSub } from "./googlePubsub";
import { startHealthServer } from "./health";
import { MemoryPubSub } from "./memoryPubsub";
import type { PubSubPort } from "./pubsub";

async function pubsubFor(config: BridgeConfig): Promise<PubSubPort> {
  if (config.pubsub.kind === "google") {
    return googlePubSub(config.pubsub.projectId, (err) => jsonLineLog("pubsub_subscription_error", { message: err.message }));
  }
  // Local smoke runs only: the latest inbound messages are kept in memory and nothing arrives on the outbound side.
  const memory = new MemoryPubSub();
  memory.createSubscription(PUBSUB.outboundTopic, config.pubsub.outboundSubscription);
  return memory;
}

async function main(): Promise<void> {
  let config: BridgeConfig;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  let broker: EmbeddedBroker | undefined;
  if (config.embeddedBroker) {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 1883 });
    jsonLineLog("embedded_broker_started", { url: config.mqtt.url });
  }
  const pubsub = await pubsubFor(config);
  const bridge = new Bridge({
    mqtt: config.mqtt,
    pubsub,
    inboundTopic: config.pubsub.inboundTopic,
    outboundSubscription: config.pubsub.outboundSubscription,
    deadLetterTopic: config.pubsub.deadLetterTopic,
    maxInFlight: config.maxInFlight,
    inboundMaxInFlight: config.inboundMaxInFlight,
    redeliveryMemory: config.redeliveryMemory,
    redeliveryWindowMs: config.redeliveryWindowMs,
    maxPayloadBytes: config.maxPayloadBytes,
    reconnect: config.reconnect,
  });
  const health = await startHealthServer(config.httpHost, config.httpPort, bridge);
  bridge.start();
  bridge.startMetricsLog(config.metricsIntervalMs);
  jsonLineLog("bridge_started", { httpPort: health.port, topics: config.mqtt.topics, inboundTopic: config.pubsub.inboundTopic });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    jsonLineLog("bridge_signal", { signal });
    void (async () => {
      await bridge.stop(config.drainTimeoutMs);
      await pubsub.close();
      await health.close();
      await broker?.close();
      process.exit(0);
    })();
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
