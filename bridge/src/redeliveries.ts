/**
 * Recognising a broker's redelivery of a QoS 1 message the bridge already forwarded, without mistaking a device's
 * deliberate identical re-send for one. A redelivery keeps the topic and payload but not necessarily the packet id
 * (ids are per connection); a fresh send can have the same topic and payload too, so content alone decides nothing.
 * What tells them apart is how the message arrives (MQTT 3.1.1 §4.4): a redelivery has DUP=1, or is among the first
 * messages after a reconnect, which the broker resends before anything new. Only those are looked up by content.
 */
import { createHash } from "node:crypto";

export function contentKey(topic: string, payload: Buffer): string {
  return createHash("sha256").update(topic).update("\0").update(payload).digest("hex").slice(0, 40);
}

export interface Remembered {
  /** The `messageId` the message was forwarded with, which a redelivery of it must carry too. */
  readonly messageId: string;
  /** Pub/Sub accepted it: a redelivery needs no second publish. */
  accepted: boolean;
}

/** The most recent `capacity` forwarded messages by content key, oldest forgotten first (O(1) per message). */
export class RecentMessages {
  private readonly byKey = new Map<string, { remembered: Remembered; slot: number }>();
  private readonly ring: (string | undefined)[];
  private next = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Array<string | undefined>(Math.max(0, capacity));
  }

  get(key: string): Remembered | undefined {
    return this.byKey.get(key)?.remembered;
  }

  /** Remembers the latest message with this content; an identical earlier one is superseded. */
  remember(key: string, messageId: string): Remembered {
    const remembered: Remembered = { messageId, accepted: false };
    if (this.capacity <= 0) return remembered;
    const evicted = this.ring[this.next];
    // That key may have been remembered again since: then a later slot owns it.
    if (evicted !== undefined && this.byKey.get(evicted)?.slot === this.next) this.byKey.delete(evicted);
    this.ring[this.next] = key;
    this.byKey.set(key, { remembered, slot: this.next });
    this.next = (this.next + 1) % this.capacity;
    return remembered;
  }

  get size(): number {
    return this.byKey.size;
  }
}
