/**
 * The contract between the bridge service and the functions, on both Pub/Sub topics. Both sides parse with these
 * schemas, so a message one side writes is exactly what the other accepts.
 */
import { z } from "zod";

/** MQTT topic names as RabbitMQ maps them to routing keys: `/`-separated words, no wildcards, no empty level. */
export const MqttTopicSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, "MQTT topic must be /-separated words without wildcards");

export const QosSchema = z.union([z.literal(0), z.literal(1)]);

/** Attributes the bridge puts on every inbound Pub/Sub message (Pub/Sub attributes are strings). */
export const InboundAttributesSchema = z.object({
  mqttTopic: MqttTopicSchema,
  qos: z.enum(["0", "1"]),
  /** Epoch milliseconds at which the bridge received the MQTT message. */
  receivedAt: z.string().regex(/^\d{1,15}$/),
  /** Assigned once per MQTT delivery and kept across publish retries: the dedupe key downstream. */
  messageId: z.string().min(1).max(128),
});
export type InboundAttributes = z.infer<typeof InboundAttributesSchema>;

/** An outbound Pub/Sub message body (JSON): what the bridge publishes to the broker. */
export const OutboundMessageSchema = z.object({
  topic: MqttTopicSchema,
  payload: z.string().max(256 * 1024),
  qos: QosSchema,
});
export type OutboundMessageBody = z.infer<typeof OutboundMessageSchema>;

/** Devices that own a `webos/<device>/...` topic family. */
export const DEVICES = ["server", "smarthome", "car", "android", "camera"] as const;
export const DeviceSchema = z.enum(DEVICES);
export type Device = z.infer<typeof DeviceSchema>;

/** The reply topics of the original protocol: `webos/<device>/info` and `webos/<device>/error`. */
export function infoTopic(device: Device): string {
  return `webos/${device}/info`;
}

export function errorTopic(device: Device): string {
  return `webos/${device}/error`;
}

export function inboundAttributes(mqttTopic: string, qos: 0 | 1, receivedAt: number, messageId: string): InboundAttributes {
  return { mqttTopic, qos: qos === 1 ? "1" : "0", receivedAt: String(receivedAt), messageId };
}
