/**
 * The message contract shared by the Cloud Functions and the MQTT bridge: Pub/Sub resource names, the MQTT ↔ Pub/Sub
 * message schemas and the appliances' 9-digit status protocol, and the retry backoff both sides use. Both sides
 * import it from here; neither copies it.
 */
export * from "./messages";
export * from "./protocol";
export * from "./identity";
export * from "./topics";
export * from "./backoff";
