/**
 * The bridge service's settings, read from its environment once at start. Every bad or missing setting is reported
 * by name in one error, so a misconfigured container fails its first start with the whole list, not one at a time.
 */
import { z } from "zod";
import { type BackoffRange, MQTT, MqttTopicSchema, PUBSUB } from "@wolley/contract";
import { DEFAULT_INBOUND_MAX_IN_FLIGHT, DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_REDELIVERY_MEMORY, DEFAULT_REDELIVERY_WINDOW_MS, type MqttSettings } from "./bridge";
import { LOCAL_BRIDGE_USER } from "./localBrokerUsers";

export interface BridgeConfig {
  mqtt: MqttSettings;
  /** Start an aedes broker on 127.0.0.1:1883 in this process (local runs only). */
  embeddedBroker: boolean;
  pubsub: { kind: "google" | "memory"; projectId?: string; inboundTopic: string; outboundSubscription: string; deadLetterTopic?: string };
  maxInFlight: number;
  inboundMaxInFlight: number;
  redeliveryMemory: number;
  redeliveryWindowMs: number;
  maxPayloadBytes: number;
  httpPort: number;
  httpHost: string;
  metricsIntervalMs: number;
  reconnect: BackoffRange;
  drainTimeoutMs: number;
}

const EMBEDDED_BROKER_URL = "mqtt://127.0.0.1:1883";

const flag = z.enum(["0", "1", "true", "false"]).transform((v) => v === "1" || v === "true");
const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);
const pubsubName = z.string().regex(/^[A-Za-z][A-Za-z0-9._~%+-]{2,254}$/, "must be a Pub/Sub resource name (3-255 chars, starting with a letter)");

const EnvSchema = z.object({
  MQTT_URL: z
    .url({ protocol: /^(mqtts?|wss?)$/, error: "must be an mqtt://, mqtts://, ws:// or wss:// URL" })
    .optional(),
  MQTT_USERNAME: z.string().min(1).optional(),
  MQTT_PASSWORD: z.string().min(1).optional(),
  MQTT_CLIENT_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -").default("wolley-bridge"),
  MQTT_TOPICS: z
    .string()
    .default(`${MQTT.serverCommands},${MQTT.smarthomeStatus}`)
    .transform((s) => s.split(",").map((t) => t.trim()).filter((t) => t.length > 0))
    .pipe(z.array(MqttTopicSchema).min(1, "must list at least one topic")),
  BRIDGE_EMBEDDED_BROKER: flag.default(false),
  BRIDGE_PUBSUB: z.enum(["google", "memory"]).default("google"),
  PUBSUB_PROJECT_ID: z.string().min(1).optional(),
  GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
  PUBSUB_INBOUND_TOPIC: pubsubName.default(PUBSUB.inboundTopic),
  PUBSUB_OUTBOUND_SUBSCRIPTION: pubsubName.default(PUBSUB.outboundSubscription),
  PUBSUB_DEAD_LETTER_TOPIC: pubsubName.optional(),
  BRIDGE_MAX_IN_FLIGHT: int(1, 10_000).default(500),
  BRIDGE_INBOUND_MAX_IN_FLIGHT: int(1, 10_000).default(DEFAULT_INBOUND_MAX_IN_FLIGHT),
  BRIDGE_REDELIVERY_MEMORY: int(0, 1_000_000).default(DEFAULT_REDELIVERY_MEMORY),
  BRIDGE_REDELIVERY_WINDOW_MS: int(0, 3_600_000).default(DEFAULT_REDELIVERY_WINDOW_MS),
  BRIDGE_MAX_PAYLOAD_BYTES: int(1, 10_000_000).default(DEFAULT_MAX_PAYLOAD_BYTES),
  PORT: int(0, 65_535).default(8080),
  BRIDGE_HTTP_HOST: z.union([z.ipv4(), z.ipv6()], { error: "must be an IP address to listen on" }).default("0.0.0.0"),
  BRIDGE_METRICS_INTERVAL_MS: int(1_000, 3_600_000).default(60_000),
  BRIDGE_RECONNECT_MIN_MS: int(10, 60_000).default(500),
  BRIDGE_RECONNECT_MAX_MS: int(100, 600_000).default(30_000),
  BRIDGE_DRAIN_TIMEOUT_MS: int(0, 600_000).default(10_000),
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid bridge configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: NodeJS.ProcessEnv): BridgeConfig {
  // An empty variable is how compose files and shells say "unset"; treating it as a value would only confuse.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const { formErrors, fieldErrors } = z.flattenError(parsed.error);
    throw new ConfigError([...formErrors, ...Object.entries(fieldErrors).flatMap(([name, messages = []]) => messages.map((m) => `${name}: ${m}`))]);
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (!e.MQTT_URL && !e.BRIDGE_EMBEDDED_BROKER) problems.push("MQTT_URL: required (or set BRIDGE_EMBEDDED_BROKER=1 for a local broker)");
  if (e.MQTT_URL && e.BRIDGE_EMBEDDED_BROKER) problems.push("MQTT_URL: must not be set together with BRIDGE_EMBEDDED_BROKER=1");
  if ((e.MQTT_USERNAME === undefined) !== (e.MQTT_PASSWORD === undefined)) problems.push("MQTT_PASSWORD: MQTT_USERNAME and MQTT_PASSWORD go together");
  const broker = brokerCredentials(e.MQTT_URL, e.MQTT_USERNAME, e.MQTT_PASSWORD, e.BRIDGE_EMBEDDED_BROKER, problems);
  const projectId = e.PUBSUB_PROJECT_ID ?? e.GOOGLE_CLOUD_PROJECT;
  if (e.BRIDGE_PUBSUB === "google" && !projectId) problems.push("PUBSUB_PROJECT_ID: required (or GOOGLE_CLOUD_PROJECT) with BRIDGE_PUBSUB=google");
  if (e.BRIDGE_RECONNECT_MIN_MS > e.BRIDGE_RECONNECT_MAX_MS) problems.push("BRIDGE_RECONNECT_MIN_MS: must not exceed BRIDGE_RECONNECT_MAX_MS");
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    mqtt: {
      url: broker.url,
      username: broker.username,
      password: broker.password,
      clientId: e.MQTT_CLIENT_ID,
      topics: e.MQTT_TOPICS,
    },
    embeddedBroker: e.BRIDGE_EMBEDDED_BROKER,
    pubsub: {
      kind: e.BRIDGE_PUBSUB,
      ...(projectId ? { projectId } : {}),
      inboundTopic: e.PUBSUB_INBOUND_TOPIC,
      outboundSubscription: e.PUBSUB_OUTBOUND_SUBSCRIPTION,
      ...(e.PUBSUB_DEAD_LETTER_TOPIC ? { deadLetterTopic: e.PUBSUB_DEAD_LETTER_TOPIC } : {}),
    },
    maxInFlight: e.BRIDGE_MAX_IN_FLIGHT,
    inboundMaxInFlight: e.BRIDGE_INBOUND_MAX_IN_FLIGHT,
    redeliveryMemory: e.BRIDGE_REDELIVERY_MEMORY,
    redeliveryWindowMs: e.BRIDGE_REDELIVERY_WINDOW_MS,
    maxPayloadBytes: e.BRIDGE_MAX_PAYLOAD_BYTES,
    httpPort: e.PORT,
    httpHost: e.BRIDGE_HTTP_HOST,
    metricsIntervalMs: e.BRIDGE_METRICS_INTERVAL_MS,
    reconnect: { minMs: e.BRIDGE_RECONNECT_MIN_MS, maxMs: e.BRIDGE_RECONNECT_MAX_MS },
    drainTimeoutMs: e.BRIDGE_DRAIN_TIMEOUT_MS,
  };
}

/**
 * The broker URL without credentials (so no log line can show them) and the account the bridge signs in with: from
 * MQTT_USERNAME/MQTT_PASSWORD or the URL's `user:password@`, never both, and required, because brokers take no
 * anonymous clients. The embedded broker's bridge account is the default there.
 */
function brokerCredentials(
  url: string | undefined,
  username: string | undefined,
  password: string | undefined,
  embedded: boolean,
  problems: string[],
): { url: string; username: string; password: string } {
  if (!url) return { url: EMBEDDED_BROKER_URL, username: username ?? LOCAL_BRIDGE_USER.username, password: password ?? LOCAL_BRIDGE_USER.password };
  const parsed = new URL(url);
  const fromUrl = parsed.username ? { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) } : undefined;
  parsed.username = "";
  parsed.password = "";
  if (fromUrl && username !== undefined) problems.push("MQTT_URL: broker credentials are given both in the URL and in MQTT_USERNAME");
  if (fromUrl && !fromUrl.password) problems.push("MQTT_URL: a user name in the URL needs a password too (user:password@host)");
  const account = fromUrl ?? (username !== undefined && password !== undefined ? { username, password } : undefined);
  if (!account && !embedded) problems.push("MQTT_USERNAME: required with MQTT_PASSWORD (or user:password@ in MQTT_URL): the broker accepts no anonymous clients");
  return { url: parsed.toString(), username: account?.username ?? "", password: account?.password ?? "" };
}
