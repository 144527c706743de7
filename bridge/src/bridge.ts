/**
 * The MQTT ↔ Pub/Sub bridge. Delivery guarantees come from acknowledging late on both sides:
 * - MQTT → Pub/Sub: a QoS 1 message is PUBACKed to the broker only after Pub/Sub accepted it; a failing publish is
 *   retried with backoff and never acked meanwhile, so a crash redelivers. Many messages are in flight at once (up to
 *   `inboundMaxInFlight`): the bridge takes the PUBACK over from mqtt.js and releases PUBACKs strictly in arrival
 *   order (MQTT 3.1.1 §4.6), each after its own publish resolved, so throughput is the window ÷ the publish latency
 *   instead of one message per round trip. A full window stops reading the socket, which pushes back on the broker.
 * - Pub/Sub → MQTT: an outbound message is acked to Pub/Sub only after the broker's PUBACK (QoS 1) or the write
 *   (QoS 0), with up to `maxInFlight` in flight; those still unacknowledged when the connection closes are nacked, so
 *   Pub/Sub redelivers them. An invalid one is dead-lettered with its reason and acked, so it is not redelivered forever.
 * - Redeliveries (./redeliveries.ts): a fresh message gets a new `messageId`, so a device's deliberate identical
 *   re-send is forwarded as a message of its own. A copy (DUP=1, or arriving within `redeliveryWindowMs` of a
 *   reconnect) whose content the bridge forwarded recently is acked without a second publish when Pub/Sub accepted
 *   the first copy, and otherwise forwarded with the first copy's `messageId`, which the functions' dedupe catches.
 * Two connections, as the original server separated its consuming and publishing channels: the inbound one has a
 * persistent session (`clean: false`, fixed client id) so messages arriving while it reconnects wait in the broker,
 * and its packet loop is not slowed by the PUBACKs of outbound publishes, which arrive on the other.
 */
import { randomUUID } from "node:crypto";
import type { IPublishPacket } from "mqtt";
import { z } from "zod";
import { type BackoffRange, type OutboundMessageBody, OutboundMessageSchema, backoffDelay, inboundAttributes } from "@wolley/contract";
import { InOrderAcks } from "./inOrderAcks";
import { type LinkLog, MqttLink } from "./link";
import { type Copy, Redeliveries } from "./redeliveries";
import type { PubSubPort, PubSubSubscription, ReceivedMessage } from "./pubsub";

export type BridgeLog = LinkLog;

export interface MqttSettings {
  url: string;
  username?: string;
  password?: string;
  clientId: string;
  topics: string[];
}

export interface BridgeOptions {
  mqtt: MqttSettings;
  pubsub: PubSubPort;
  inboundTopic: string;
  outboundSubscription: string;
  deadLetterTopic?: string;
  /** Outbound messages handed to the broker and not yet acknowledged by it, at most this many. */
  maxInFlight: number;
  /** Inbound messages received and not yet PUBACKed, at most this many (default 1,000). */
  inboundMaxInFlight?: number;
  /** How many recently forwarded messages the bridge remembers to recognise their redeliveries (default 10,000). */
  redeliveryMemory?: number;
  /** How long after a reconnect an identical message counts as a retransmission (default 60 s; redeliveries.ts). */
  redeliveryWindowMs?: number;
  /** Inbound payloads larger than this are refused: acked, not forwarded, counted and logged (default 256 KiB). */
  maxPayloadBytes?: number;
  reconnect: BackoffRange;
  publishRetry?: BackoffRange;
  log?: BridgeLog;
}

export interface BridgeMetrics {
  state: BridgeState;
  connected: boolean;
  received: number;
  forwarded: number;
  publishRetries: number;
  outboundReceived: number;
  outboundDelivered: number;
  outboundRetried: number;
  deadLettered: number;
  reconnects: number;
  redeliveriesSkipped: number;
  payloadsRefused: number;
  inFlightInbound: number;
  inFlightOutbound: number;
}

export type BridgeState = "idle" | "running" | "draining" | "stopped";

/** One JSON line per event on stdout: Cloud Logging and `docker logs` both read it as structured. */
export const jsonLineLog: BridgeLog = (event, fields = {}) => {
  const severity = /error|dead_letter|refused/.test(event) ? "ERROR" : /retry|reconnect|closed/.test(event) ? "WARNING" : "INFO";
  console.log(JSON.stringify({ severity, event, time: new Date().toISOString(), ...fields }));
};

export const DEFAULT_INBOUND_MAX_IN_FLIGHT = 1_000;
export const DEFAULT_REDELIVERY_MEMORY = 10_000;
/** Covers devices on mqtt.js's 1 s reconnect and Paho's doubling backoff through its first five attempts. */
export const DEFAULT_REDELIVERY_WINDOW_MS = 60_000;
export const DEFAULT_MAX_PAYLOAD_BYTES = 262_144;

/** See Bridge.onPublish. */
const ACK_TAKEN_OVER = new Error("PUBACK taken over by the bridge");

interface OwedAck {
  link: MqttLink;
  generation: number;
  /** Undefined for QoS 0: nothing to acknowledge, but it still takes a place in the window. */
  messageId?: number;
}

function payloadOf(packet: IPublishPacket): Buffer {
  return typeof packet.payload === "string" ? Buffer.from(packet.payload) : packet.payload;
}

type Parsed = { ok: true; value: OutboundMessageBody } | { ok: false; reason: string };

export function parseOutbound(data: Buffer): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(data.toString("utf8"));
  } catch {
    return { ok: false, reason: "payload is not JSON" };
  }
  const parsed = OutboundMessageSchema.safeParse(json);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, reason: z.prettifyError(parsed.error) };
}

export class Bridge {
  private inbound?: MqttLink;
  private outboundLink?: MqttLink;
  private outbound?: PubSubSubscription;
  private state: BridgeState = "idle";
  private subscribed = false;
  private metricsTimer?: NodeJS.Timeout;
  private readonly sleepers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly counters = {
    received: 0,
    forwarded: 0,
    publishRetries: 0,
    outboundReceived: 0,
    outboundDelivered: 0,
    outboundRetried: 0,
    deadLettered: 0,
    redeliveriesSkipped: 0,
    payloadsRefused: 0,
    inFlightOutbound: 0,
  };
  private readonly log: BridgeLog;
  private readonly publishRetry: BackoffRange;
  private readonly inboundMaxInFlight: number;
  private readonly maxPayloadBytes: number;
  private readonly redeliveries: Redeliveries;
  /** Prefix of every fresh `messageId`: unique per bridge process, so ids never repeat across restarts. */
  private readonly instance = randomUUID();
  private sequence = 0;
  private readonly acks = new InOrderAcks<OwedAck>((owed) => this.release(owed));
  /** The inbound packet loop, parked while the window is full. */
  private resumeReading?: () => void;

  constructor(private readonly options: BridgeOptions) {
    this.log = options.log ?? jsonLineLog;
    this.publishRetry = options.publishRetry ?? { minMs: 100, maxMs: 5_000 };
    this.inboundMaxInFlight = options.inboundMaxInFlight ?? DEFAULT_INBOUND_MAX_IN_FLIGHT;
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.redeliveries = new Redeliveries(
      options.redeliveryMemory ?? DEFAULT_REDELIVERY_MEMORY,
      options.redeliveryWindowMs ?? DEFAULT_REDELIVERY_WINDOW_MS,
      () => this.freshId(),
    );
  }

  start(): void {
    if (this.state !== "idle") throw new Error(`bridge already ${this.state}`);
    this.state = "running";
    const { mqtt, reconnect } = this.options;
    const credentials = mqtt.username ? { username: mqtt.username, password: mqtt.password } : {};
    const inbound = new MqttLink(
      "inbound",
      mqtt.url,
      { clientId: mqtt.clientId, clean: false, protocolVersion: 4, ...credentials },
      reconnect,
      this.log,
      (link) => {
        this.forgetOwedAcks();
        this.redeliveries.connected();
        this.subscribe(link);
      },
      () => {
        this.subscribed = false;
        this.forgetOwedAcks();
      },
    );
    inbound.client.handleMessage = (packet, callback) => this.onPublish(inbound, packet, callback);
    this.inbound = inbound;
    // The outbound session keeps nothing worth resuming: unacked Pub/Sub messages are redelivered anyway.
    this.outboundLink = new MqttLink(
      "outbound",
      mqtt.url,
      { clientId: `${mqtt.clientId}-out`, clean: true, protocolVersion: 4, ...credentials },
      reconnect,
      this.log,
      () => undefined,
      (link) => link.abandonOutgoing(),
    );
    this.outbound = this.options.pubsub.subscribe(this.options.outboundSubscription, this.options.maxInFlight, (m) => void this.onOutbound(m));
  }

  /** Ready = both connections up, subscribed, consuming the outbound subscription and not shutting down. */
  ready(): boolean {
    return this.state === "running" && this.connected() && this.subscribed && this.outbound !== undefined;
  }

  async whenReady(timeoutMs: number): Promise<void> {
    if (!(await this.waitUntil(() => this.ready(), timeoutMs))) throw new Error(`bridge not ready after ${timeoutMs} ms`);
  }

  metrics(): BridgeMetrics {
    const reconnects = (this.inbound?.reconnects ?? 0) + (this.outboundLink?.reconnects ?? 0);
    return { state: this.state, connected: this.connected(), reconnects, ...this.counters, inFlightInbound: this.acks.size };
  }

  /** Logs the counters as one line every `intervalMs` until stop. */
  startMetricsLog(intervalMs: number): void {
    this.metricsTimer = setInterval(() => this.log("bridge_metrics", { ...this.metrics() }), intervalMs);
    this.metricsTimer.unref();
  }

  /**
   * Graceful shutdown: stop taking outbound messages, let in-flight ones finish (up to `drainTimeoutMs`), then
   * disconnect. Anything still unacknowledged after that is redelivered by the broker or Pub/Sub later.
   */
  async stop(drainTimeoutMs: number): Promise<void> {
    if (this.state === "stopped" || this.state === "draining") return;
    this.state = "draining";
    this.log("bridge_draining", { inFlightInbound: this.acks.size, inFlightOutbound: this.counters.inFlightOutbound });
    await this.outbound?.close();
    const drained = await this.waitUntil(() => this.acks.size === 0 && this.counters.inFlightOutbound === 0, drainTimeoutMs);
    this.state = "stopped";
    clearInterval(this.metricsTimer);
    for (const sleeper of this.sleepers) {
      clearTimeout(sleeper.timer);
      sleeper.resolve();
    }
    this.sleepers.clear();
    await Promise.all([this.inbound?.end(), this.outboundLink?.end()]);
    this.log("bridge_stopped", { drained, ...this.metrics() });
  }

  private connected(): boolean {
    return (this.inbound?.connected ?? false) && (this.outboundLink?.connected ?? false);
  }

  private subscribe(link: MqttLink): void {
    const topics = Object.fromEntries(this.options.mqtt.topics.map((t) => [t, { qos: 1 as const }]));
    link.client.subscribe(topics, (err, granted) => {
      const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
      if (err || refused.length > 0) {
        this.log("mqtt_subscribe_error", { message: err?.message, refused });
        // A broker that refused the subscription will not change its mind on this connection; reconnecting retries it.
        link.drop();
        return;
      }
      this.subscribed = true;
      this.log("mqtt_subscribed", { topics: this.options.mqtt.topics });
    });
  }

  /**
   * Publishes to the inbound topic until accepted. Gives up (false) when the bridge stopped or the connection the
   * message came on is gone: the broker redelivers it on the new one, and one retry loop per message is enough.
   */
  private async forward(topic: string, payload: Buffer, qos: 0 | 1, messageId: string, wanted: () => boolean): Promise<boolean> {
    const attributes = inboundAttributes(topic, qos, Date.now(), messageId);
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.options.pubsub.publish(this.options.inboundTopic, payload, attributes);
        this.counters.forwarded += 1;
        return true;
      } catch (err) {
        this.counters.publishRetries += 1;
        if (this.stopped() || !wanted()) return false;
        const delayMs = backoffDelay(attempt, this.publishRetry);
        this.log("pubsub_publish_retry", { attempt: attempt + 1, delayMs, message: err instanceof Error ? err.message : String(err) });
        await this.sleep(delayMs);
        if (this.stopped() || !wanted()) return false;
      }
    }
  }

  /**
   * mqtt.js hands each PUBLISH here and reads the next packet when `callback` is called. Called with ACK_TAKEN_OVER,
   * its QoS 1 path skips its own PUBACK (node_modules/mqtt/build/lib/handlers/publish.js: an error from
   * handleMessage ends the packet there) and moves on; the PUBACK comes from `release`, in arrival order.
   */
  private onPublish(link: MqttLink, packet: IPublishPacket, callback: (error?: Error) => void): void {
    // Not acking during shutdown leaves the message with the broker, which redelivers it to the next session.
    if (this.state !== "running") return;
    const generation = link.generation;
    this.counters.received += 1;
    const qos = packet.qos === 0 ? 0 : 1;
    const finish = this.acks.add({ link, generation, messageId: qos === 1 ? packet.messageId : undefined });
    const next = () => callback(qos === 1 ? ACK_TAKEN_OVER : undefined);
    if (this.acks.size < this.inboundMaxInFlight) next();
    else this.resumeReading = next;
    void this.handleInbound(link, generation, packet.topic, payloadOf(packet), qos, packet.dup, finish);
  }

  private async handleInbound(link: MqttLink, generation: number, topic: string, payload: Buffer, qos: 0 | 1, dup: boolean, finish: () => void): Promise<void> {
    if (payload.length > this.maxPayloadBytes) {
      // Acked so the broker does not redeliver it forever; the ERROR line is what alerting keys on.
      this.counters.payloadsRefused += 1;
      this.log("inbound_payload_refused", { topic, bytes: payload.length, limitBytes: this.maxPayloadBytes });
      finish();
      return;
    }
    const current = () => generation === link.generation && link.connected;
    // Before the first await, so messages are classified in arrival order. QoS 0 is never redelivered: nothing to
    // recognise later.
    const copy: Copy | { messageId: string } = qos === 1 ? this.redeliveries.classify(topic, payload, dup) : { messageId: this.freshId() };
    if (copy === "skip") {
      this.counters.redeliveriesSkipped += 1;
      finish();
      return;
    }
    if (await this.forward(topic, payload, qos, copy.messageId, current)) {
      if ("accepted" in copy) copy.accepted = true;
      finish();
    }
  }

  private freshId(): string {
    this.sequence += 1;
    return `${this.instance}:${this.sequence}`;
  }

  private release(owed: OwedAck): void {
    const { link, generation, messageId } = owed;
    if (messageId !== undefined && link.connected && link.generation === generation) link.puback(messageId);
    if (this.resumeReading && this.acks.size < this.inboundMaxInFlight) {
      const resume = this.resumeReading;
      this.resumeReading = undefined;
      resume();
    }
  }

  /** The connection that owed these PUBACKs is gone; the broker redelivers what was not acked. */
  private forgetOwedAcks(): void {
    this.acks.clear();
    this.resumeReading = undefined;
  }

  private async onOutbound(message: ReceivedMessage): Promise<void> {
    this.counters.outboundReceived += 1;
    const parsed = parseOutbound(message.data);
    if (!parsed.ok) {
      await this.deadLetter(message, parsed.reason);
      return;
    }
    const link = this.outboundLink;
    if (!link?.connected || this.state === "stopped") {
      this.counters.outboundRetried += 1;
      message.nack();
      return;
    }
    this.counters.inFlightOutbound += 1;
    const { topic, payload, qos } = parsed.value;
    link.client.publish(topic, payload, { qos }, (err) => {
      this.counters.inFlightOutbound -= 1;
      if (err) {
        this.counters.outboundRetried += 1;
        message.nack();
      } else {
        this.counters.outboundDelivered += 1;
        message.ack();
      }
    });
  }

  private async deadLetter(message: ReceivedMessage, reason: string): Promise<void> {
    const { deadLetterTopic } = this.options;
    if (deadLetterTopic) {
      try {
        await this.options.pubsub.publish(deadLetterTopic, message.data, { ...message.attributes, deadLetterReason: reason.slice(0, 1024), originalMessageId: message.id });
      } catch (err) {
        this.log("dead_letter_publish_error", { id: message.id, message: err instanceof Error ? err.message : String(err) });
        message.nack();
        return;
      }
    }
    this.counters.deadLettered += 1;
    this.log("outbound_dead_letter", { id: message.id, reason, ...(deadLetterTopic ? { deadLetterTopic } : { preview: message.data.toString("utf8").slice(0, 200) }) });
    message.ack();
  }

  private stopped(): boolean {
    return this.state === "stopped";
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = { timer: setTimeout(() => {
        this.sleepers.delete(sleeper);
        resolve();
      }, ms), resolve };
      this.sleepers.add(sleeper);
    });
  }

  private async waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return true;
  }
}
