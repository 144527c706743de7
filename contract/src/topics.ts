/**
 * The Pub/Sub resources the bridge and the functions meet on. Deploy-time params and the bridge's environment
 * default to these names; emulator set-up, tests and docs take them from here.
 */
export const PUBSUB = {
  /** The bridge publishes every MQTT message it receives here; `mqttInbound` is triggered by it. */
  inboundTopic: "mqtt-inbound",
  /** Functions publish MQTT commands and replies here. */
  outboundTopic: "mqtt-outbound",
  /** The bridge's pull subscription on the outbound topic. */
  outboundSubscription: "mqtt-outbound-bridge",
  /** Outbound messages the bridge could not deliver after its retries. */
  deadLetterTopic: "mqtt-outbound-dead-letter",
} as const;

/** The MQTT topics the backend listens on (the bridge subscribes to both by default). */
export const MQTT = {
  /** Account and schedule commands from the apps (`signup`, `signin`, `add_schedule`). */
  serverCommands: "webos/server",
  /** Status reports from the home: a 9-digit status string. */
  smarthomeStatus: "data/smarthome",
} as const;
