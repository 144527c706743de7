/**
 * The outbound-command port: how functions send MQTT messages (replies, commands to the home, device alerts)
 * without holding a broker connection. Production publishes to the outbound Pub/Sub topic the bridge drains.
 */
export interface OutboundMessage {
  /** MQTT topic, `/`-separated (RabbitMQ maps it to the `webos.topic` routing key with `.`). */
  topic: string;
  payload: string;
  qos: 0 | 1;
}

export interface OutboundPort {
  publish(message: OutboundMessage): Promise<void>;
}
