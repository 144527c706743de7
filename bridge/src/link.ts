import { type IClientOptions, type MqttClient, Store, connect } from "mqtt";
import { type BackoffRange, backoffDelay } from "@wolley/contract";

interface PacketSender {
  _sendPacket(packet: { cmd: "puback"; messageId: number }): void;
}

export type LinkLog = (event: string, fields?: Record<string, unknown>) => void;

/**
 * One MQTT connection that reconnects itself with capped exponential backoff and jitter (mqtt.js's own reconnect
 * uses a fixed period, which makes every bridge hammer a recovering broker in lockstep).
 */
export class MqttLink {
  readonly client: MqttClient;
  connected = false;
  /** Bumped on every new connection: anything owed to an older connection must not be sent on this one. */
  generation = 0;
  reconnects = 0;
  private attempt = 0;
  private timer?: NodeJS.Timeout;
  private active = true;

  constructor(
    readonly name: string,
    url: string,
    options: IClientOptions,
    private readonly reconnect: BackoffRange,
    private readonly log: LinkLog,
    onConnect: (link: MqttLink) => void,
    onClose: (link: MqttLink) => void = () => undefined,
  ) {
    this.client = connect(url, { ...options, reconnectPeriod: 0, resubscribe: false, connectTimeout: 10_000, keepalive: 30 });
    this.client.on("connect", () => {
      this.generation += 1;
      this.connected = true;
      this.attempt = 0;
      this.log("mqtt_connected", { link: name, url: redact(url), generation: this.generation });
      onConnect(this);
    });
    this.client.on("close", () => {
      if (this.connected) this.log("mqtt_closed", { link: name });
      this.connected = false;
      onClose(this);
      this.scheduleReconnect();
    });
    this.client.on("error", (err) => this.log("mqtt_error", { link: name, message: err.message }));
  }

  /**
   * Sends the PUBACK of an incoming QoS 1 publish whose acknowledgement the bridge took over (see Bridge.onPublish).
   * Through the client's own packet writer, which also keeps the keepalive timer right; mqtt.js has no public call.
   */
  puback(messageId: number): void {
    (this.client as unknown as PacketSender)._sendPacket({ cmd: "puback", messageId });
  }

  /**
   * Fails every publish still awaiting its PUBACK on the connection that just closed, so its owner can hand it back
   * (the bridge nacks it to Pub/Sub, which redelivers it), and empties the store mqtt.js would resend them from on the
   * next connection: resent there one at a time, and again by Pub/Sub, they would reach the device twice.
   */
  abandonOutgoing(): void {
    const pending = Object.values(this.client.outgoing);
    this.client.outgoing = {};
    this.client.outgoingStore = new Store();
    for (const { cb } of pending) cb(new Error("connection closed before the broker acknowledged the publish"));
  }

  /** Drops the connection so the backoff loop opens a fresh one (used when the broker refused something). */
  drop(): void {
    this.client.stream.destroy();
  }

  async end(): Promise<void> {
    this.active = false;
    clearTimeout(this.timer);
    await new Promise<void>((resolve) => this.client.end(true, {}, () => resolve()));
  }

  private scheduleReconnect(): void {
    if (!this.active || this.timer) return;
    const delayMs = backoffDelay(this.attempt, this.reconnect);
    this.attempt += 1;
    this.reconnects += 1;
    this.log("mqtt_reconnect_scheduled", { link: this.name, attempt: this.attempt, delayMs });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.active) this.client.reconnect();
    }, delayMs);
  }
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
