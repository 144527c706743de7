/**
 * In-memory Pub/Sub with the delivery semantics the bridge relies on: at-least-once, flow control by unacked count,
 * redelivery after nack. Tests can make publishes fail to exercise the bridge's retry path.
 */
import { randomUUID } from "node:crypto";
import type { PubSubPort, PubSubSubscription, ReceivedMessage } from "./pubsub";

export interface StoredMessage {
  id: string;
  data: Buffer;
  attributes: Record<string, string>;
}

interface Sub {
  topic: string;
  queue: StoredMessage[];
  inFlight: number;
  maxInFlight: number;
  onMessage?: (message: ReceivedMessage) => void;
  closed: boolean;
}

export class MemoryPubSub implements PubSubPort {
  /** Every accepted message per topic, in publish order. */
  readonly published = new Map<string, StoredMessage[]>();
  private readonly subs = new Map<string, Sub>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private failures = 0;
  publishFailures = 0;
  private closed = false;

  constructor(private readonly redeliveryDelayMs = 20) {}

  /** A subscription exists before anyone listens, as in Pub/Sub: messages published meanwhile wait in it. */
  createSubscription(topic: string, subscription: string): void {
    if (!this.subs.has(subscription)) this.subs.set(subscription, { topic, queue: [], inFlight: 0, maxInFlight: 1, closed: true });
  }

  /** The next `count` publishes reject, as an unavailable Pub/Sub would. */
  failNextPublishes(count: number): void {
    this.failures = Math.max(0, this.failures + count);
  }

  pendingFailures(): number {
    return this.failures;
  }

  publish(topic: string, data: Buffer, attributes: Record<string, string>): Promise<string> {
    if (this.closed) return Promise.reject(new Error("pubsub closed"));
    if (this.failures > 0) {
      this.failures -= 1;
      this.publishFailures += 1;
      return Promise.reject(new Error("injected publish failure (UNAVAILABLE)"));
    }
    const message: StoredMessage = { id: randomUUID(), data: Buffer.from(data), attributes: { ...attributes } };
    const list = this.published.get(topic) ?? [];
    list.push(message);
    this.published.set(topic, list);
    for (const sub of this.subs.values()) {
      if (sub.topic === topic) {
        sub.queue.push(message);
        this.pump(sub);
      }
    }
    return Promise.resolve(message.id);
  }

  subscribe(subscription: string, maxInFlight: number, onMessage: (message: ReceivedMessage) => void): PubSubSubscription {
    const sub = this.subs.get(subscription);
    if (!sub) throw new Error(`subscription ${subscription} does not exist`);
    Object.assign(sub, { maxInFlight, onMessage, closed: false });
    this.pump(sub);
    return {
      close: () => {
        sub.closed = true;
        return Promise.resolve();
      },
    };
  }

  close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const sub of this.subs.values()) sub.closed = true;
    return Promise.resolve();
  }

  private pump(sub: Sub): void {
    while (!sub.closed && sub.onMessage && sub.inFlight < sub.maxInFlight && sub.queue.length > 0) {
      const message = sub.queue.shift() as StoredMessage;
      sub.inFlight += 1;
      let settled = false;
      const settle = (redeliver: boolean) => {
        if (settled) return;
        settled = true;
        sub.inFlight -= 1;
        if (redeliver && !this.closed) {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            sub.queue.push(message);
            this.pump(sub);
          }, this.redeliveryDelayMs);
          this.timers.add(timer);
        }
        this.pump(sub);
      };
      const onMessage = sub.onMessage;
      queueMicrotask(() =>
        onMessage({ id: message.id, data: message.data, attributes: message.attributes, ack: () => settle(false), nack: () => settle(true) }),
      );
    }
  }
}
