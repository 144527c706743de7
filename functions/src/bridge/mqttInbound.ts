import { onMessagePublished } from "firebase-functions/v2/pubsub";
import { FUNCTION_DEFAULTS, MQTT_INBOUND_TOPIC, SLACK_WEBHOOK_URL } from "../core/config";
import { info } from "../core/logs";
import { inboundDeps } from "./deps";
import { handleInbound } from "./inbound";

/**
 * An MQTT message the bridge published to the inbound topic. Retries are on: bad input never throws (it is answered
 * and alerted), so a throw means a transient store or Pub/Sub failure worth redelivering. The Slack webhook secret
 * is for the production alerter.
 */
export const mqttInbound = onMessagePublished({ ...FUNCTION_DEFAULTS, topic: MQTT_INBOUND_TOPIC, retry: true, secrets: [SLACK_WEBHOOK_URL] }, async (event) => {
  const message = event.data.message;
  const outcome = await handleInbound("mqttInbound", inboundDeps(), {
    id: message.messageId,
    attributes: message.attributes,
    payload: Buffer.from(message.data, "base64"),
  });
  info("mqtt_inbound_handled", { outcome, eventId: event.id, mqttTopic: message.attributes.mqttTopic });
});
