/**
 * Releases acknowledgements in the order their messages arrived, each only once its own work finished.
 * MQTT 3.1.1 §4.6 requires a client to send PUBACKs in the order the PUBLISH packets were received; the work behind
 * them (a Pub/Sub publish) finishes in any order, so a finished message waits here behind every earlier unfinished one.
 */
export class InOrderAcks<T> {
  private queue: { item: T; finished: boolean }[] = [];
  private head = 0;
  private epoch = 0;

  constructor(private readonly release: (item: T) => void) {}

  /** Messages taken and not yet released. */
  get size(): number {
    return this.queue.length - this.head;
  }

  /** Registers an arrival; the returned function marks its work finished (calling it again does nothing). */
  add(item: T): () => void {
    const entry = { item, finished: false };
    this.queue.push(entry);
    const epoch = this.epoch;
    return () => {
      if (epoch !== this.epoch || entry.finished) return;
      entry.finished = true;
      this.drain();
    };
  }

  /** Forgets everything owed (the connection these acks belonged to is gone); later finishes are ignored. */
  clear(): void {
    this.epoch += 1;
    this.queue = [];
    this.head = 0;
  }

  private drain(): void {
    for (let entry = this.queue[this.head]; entry?.finished; entry = this.queue[this.head]) {
      this.head += 1;
      this.release(entry.item);
    }
    // Compact now and then so a long run does not keep every released entry.
    if (this.head > 1_024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
