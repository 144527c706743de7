import { type CloudEvent, type CloudFunction } from "firebase-functions/v2";
import { type MessagePublishedData, onMessagePublished } from "firebase-functions/v2/pubsub";
import { FUNCTION_DEFAULTS, MQTT_INBOUND_TOPIC, SLACK_WEBHOOK_URL } from "../config";
import { info } from "../logs";
import { type InboundDeps, handleInbound } from "./inbound";
import { productionInboundDeps } from "./productionDeps";

/**
 * Builds the trigger around its dependencies, resolved on the first event so discovery never creates clients.
 * Retries are on: bad input never throws (it is answered and alerted), so a throw means a transient store or
 * Pub/Sub failure worth redelivering. The Slack webhook secret is for the production alerter.
 */
export function makeMqttInbound(deps: () => InboundDeps): CloudFunction<CloudEvent<MessagePublishedData>> {
  let resolved: InboundDeps | undefined;
  return onMessagePublished({ ...FUNCTION_DEFAULTS, topic: MQTT_INBOUND_TOPIC, retry: true, secrets: [SLACK_WEBHOOK_URL] }, async (event) => {
    resolved ??= deps();
    const message = event.data.message;
    const outcome = await handleInbound("mqttInbound", resolved, {
      id: message.messageId,
      attributes: message.attributes,
      payload: Buffer.from(message.data, "base64"),
    });
    info("mqtt_inbound_handled", { outcome, eventId: event.id, mqttTopic: message.attributes.mqttTopic });
  });
}

export const mqttInbound = makeMqttInbound(productionInboundDeps);
