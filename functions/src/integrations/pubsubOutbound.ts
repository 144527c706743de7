/**
 * The production outbound-command port: functions publish `{topic, payload, qos}` to the outbound Pub/Sub topic and
 * the bridge service delivers it to the broker. The Pub/Sub client is loaded on the first publish only.
 */
import type { PubSub } from "@google-cloud/pubsub";
import { MQTT_OUTBOUND_TOPIC } from "../core/config";
import { assertNoEmulatorsInProduction } from "../core/emulatorGuard";
import { OutboundMessageSchema } from "@wolley/contract";
import type { OutboundMessage, OutboundPort } from "./outbound";

let client: PubSub | undefined;

async function pubsub(): Promise<PubSub> {
  if (!client) {
    assertNoEmulatorsInProduction();
    const { PubSub: PubSubClient } = await import("@google-cloud/pubsub");
    client = new PubSubClient();
  }
  return client;
}

/**
 * Rejects an invalid message before it leaves the function (the bridge would only dead-letter it), so the caller
 * sees its own mistake.
 */
export function pubsubOutbound(topicName: () => string = () => MQTT_OUTBOUND_TOPIC.value()): OutboundPort {
  return {
    async publish(message: OutboundMessage): Promise<void> {
      const body = OutboundMessageSchema.parse(message);
      const topic = (await pubsub()).topic(topicName());
      await topic.publishMessage({ data: Buffer.from(JSON.stringify(body)), attributes: { mqttTopic: body.topic } });
    },
  };
}
