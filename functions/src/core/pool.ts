/**
 * Bounded concurrency: at most `limit` tasks in flight; `run` waits for a free slot, so a producer never queues more
 * work than the pool holds. The first task failure is rethrown by the next `run` or by `drain`; a caller that must go
 * on past failures catches inside its tasks.
 *
 * Written here rather than taken from p-limit: p-limit's current major is ESM-only (this build is CommonJS), and its
 * queue accepts work without bound, where the GPS weekly run and the fan-out benchmark need the producer held back.
 */
export class Pool {
  private readonly active = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {}

  async run(task: () => Promise<void>): Promise<void> {
    while (this.active.size >= Math.max(1, this.limit)) await Promise.race(this.active);
    this.rethrow();
    const running: Promise<void> = task()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.active.delete(running));
    this.active.add(running);
  }

  async drain(): Promise<void> {
    while (this.active.size > 0) await Promise.all(this.active);
    this.rethrow();
  }

  private rethrow(): void {
    if (this.failure) throw this.failure.error;
  }
}
