/**
 * The dedupe key of an inbound MQTT message, and a bounded memory of keys already accepted by Pub/Sub.
 * A broker redelivers a QoS 1 message with the same topic and payload but not necessarily the same packet id (ids are
 * per connection), so the key is a hash of topic and payload: a redelivery gets the key of its first delivery.
 */
import { createHash } from "node:crypto";

export function redeliveryKey(topic: string, payload: Buffer): string {
  return createHash("sha256").update(topic).update("\0").update(payload).digest("hex").slice(0, 40);
}

/** The most recent `capacity` keys, oldest forgotten first. */
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    if (this.capacity <= 0) return;
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.values().next().value as string);
  }

  get size(): number {
    return this.keys.size;
  }
}
