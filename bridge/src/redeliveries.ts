/**
 * Recognising a second copy of a QoS 1 message the bridge already forwarded, without mistaking a device's deliberate
 * identical re-send for one. A copy keeps the topic and payload but not the packet id (ids are per connection); a
 * fresh send can have the same topic and payload too, so content alone decides nothing. What tells them apart is how
 * and when the copy arrives:
 * - DUP=1: the broker resends a message it delivered to this session and got no PUBACK for (MQTT 3.1.1 §4.4).
 * - Shortly after the inbound session reconnected: a broker that crashed may resend without DUP (RabbitMQ derives it
 *   from its queue's lazily written `redelivered` flag), and every device whose PUBACK was lost in the crash
 *   retransmits once it is back; the broker passes that on as a new delivery, DUP=0, since DUP is set per hop
 *   (§3.3.1.1). Devices reconnect on their own backoff, so this lasts a time window, not a number of messages.
 * Only those are looked up by content; everything else is fresh.
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

/** What to do with an arriving QoS 1 message: skip it (Pub/Sub has it), or forward it with this `messageId`. */
export type Copy = "skip" | Remembered;

export class Redeliveries {
  private readonly recent: RecentMessages;
  private connectedBefore = false;
  private windowEndsAt = 0;

  /**
   * @param capacity how many forwarded messages are remembered
   * @param windowMs how long after a reconnect a message identical to a remembered one counts as its copy
   * @param freshId a new `messageId`, never given before by any bridge process
   */
  constructor(
    capacity: number,
    private readonly windowMs: number,
    private readonly freshId: () => string,
    private readonly now: () => number = Date.now,
  ) {
    this.recent = new RecentMessages(capacity);
  }

  /**
   * Each connect of the inbound session. The first of a process opens no window: the messages a previous process
   * forwarded are not remembered here, and a broker resending them sets DUP=1.
   */
  connected(): void {
    if (this.connectedBefore) this.windowEndsAt = this.now() + this.windowMs;
    this.connectedBefore = true;
  }

  /**
   * Call in arrival order. A copy of a message whose publish Pub/Sub accepted is skipped; one whose publish is still
   * under way carries that message's `messageId`, so the functions' dedupe catches it. A DUP=1 copy the bridge does
   * not know (forwarded before this process started) gets its content key as id, so every bridge process that
   * forwards such a copy gives it the same one.
   */
  classify(topic: string, payload: Buffer, dup: boolean): Copy {
    const key = contentKey(topic, payload);
    const known = this.recent.get(key);
    if (known && (dup || this.now() < this.windowEndsAt)) return known.accepted ? "skip" : known;
    return this.recent.remember(key, dup ? key : this.freshId());
  }
}
