/**
 * In-memory Pub/Sub with the delivery semantics the bridge relies on: at-least-once, flow control by unacked count,
 * redelivery after nack. Tests can make publishes fail to exercise the bridge's retry path, and the benchmark can give
 * each publish a latency. Memory is bounded: it keeps only the latest published messages per topic for inspection,
 * and a subscription holds at most `maxQueued` undelivered messages (the oldest go first, and are counted).
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

export interface MemoryPubSubOptions {
  /** Delay before a nacked message is offered again (default 20 ms). */
  redeliveryDelayMs?: number;
  /** Time each publish takes to resolve, as a round trip to Pub/Sub would (default 0). */
  publishLatencyMs?: number;
  /** Accepted messages kept per topic in `published`, newest last (default 1,000). */
  keepPublished?: number;
  /** Undelivered messages a subscription holds at most (default 100,000). */
  maxQueued?: number;
}

export class MemoryPubSub implements PubSubPort {
  /** The latest accepted messages per topic, in publish order, at most `keepPublished` each. */
  readonly published = new Map<string, StoredMessage[]>();
  /** How many messages each topic accepted in all. */
  readonly publishedCount = new Map<string, number>();
  /** Undelivered messages dropped because a subscription was full. */
  dropped = 0;
  private readonly redeliveryDelayMs: number;
  private readonly publishLatencyMs: number;
  private readonly keepPublished: number;
  private readonly maxQueued: number;
  private readonly subs = new Map<string, Sub>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private failures = 0;
  publishFailures = 0;
  private closed = false;

  constructor(options: MemoryPubSubOptions = {}) {
    this.redeliveryDelayMs = options.redeliveryDelayMs ?? 20;
    this.publishLatencyMs = options.publishLatencyMs ?? 0;
    this.keepPublished = options.keepPublished ?? 1_000;
    this.maxQueued = options.maxQueued ?? 100_000;
  }

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
    if (this.publishLatencyMs <= 0) return Promise.resolve(this.accept(topic, message));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve(this.accept(topic, message));
      }, this.publishLatencyMs);
      this.timers.add(timer);
    });
  }

  private accept(topic: string, message: StoredMessage): string {
    const list = this.published.get(topic) ?? [];
    list.push(message);
    if (list.length > this.keepPublished) list.splice(0, list.length - this.keepPublished);
    this.published.set(topic, list);
    this.publishedCount.set(topic, (this.publishedCount.get(topic) ?? 0) + 1);
    for (const sub of this.subs.values()) {
      if (sub.topic === topic) {
        sub.queue.push(message);
        if (sub.queue.length > this.maxQueued) {
          sub.queue.shift();
          this.dropped += 1;
        }
        this.pump(sub);
      }
    }
    return message.id;
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
