/**
 * Group commit: requests for the same key that arrive while a commit for that key is in flight wait, then go
 * together in the next commit, so an instance runs at most one commit per key at a time. Firestore transactions on
 * the same document otherwise queue on its lock (and, in numbers, abort); merged, forty concurrent uploads of one
 * user's day are one or two transactions. Pure: no Firebase, no timers.
 */

/** One request's result inside a group: a request-specific refusal does not fail the others. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface GroupCommitOptions<Req, Res> {
  /**
   * Commits `group` at once, applying its requests in order; resolves one outcome per request. A rejection fails every
   * request of the group with that error (nothing of the group was committed).
   */
  commit: (key: string, group: readonly Req[]) => Promise<readonly Outcome<Res>[]>;
  /** Whether `next` may join `group` (e.g. a transaction's size limit); a group always takes its first request. */
  canJoin: (group: readonly Req[], next: Req) => boolean;
}

interface Pending<Req, Res> {
  request: Req;
  resolve: (value: Res) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<Req, Res> {
  /** Keys with a drain loop running, and the requests waiting for its next commit. */
  private readonly waiting = new Map<string, Pending<Req, Res>[]>();

  constructor(private readonly options: GroupCommitOptions<Req, Res>) {}

  /** Resolves once the commit holding `request` has committed, with its own outcome. */
  submit(key: string, request: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      const queue = this.waiting.get(key);
      if (queue) {
        queue.push({ request, resolve, reject });
        return;
      }
      this.waiting.set(key, [{ request, resolve, reject }]);
      // Started on a microtask, so requests submitted in the same turn share the first commit.
      void Promise.resolve().then(() => this.drain(key));
    });
  }

  private async drain(key: string): Promise<void> {
    const queue = this.waiting.get(key) as Pending<Req, Res>[];
    while (queue.length > 0) {
      const group = this.takeGroup(queue);
      const requests = group.map((p) => p.request);
      try {
        const outcomes = await this.options.commit(key, requests);
        if (outcomes.length !== group.length) throw new Error(`group commit returned ${outcomes.length} outcomes for ${group.length} requests`);
        group.forEach((p, i) => {
          const outcome = outcomes[i] as Outcome<Res>;
          if (outcome.ok) p.resolve(outcome.value);
          else p.reject(outcome.error);
        });
      } catch (err) {
        for (const p of group) p.reject(err);
      }
    }
    this.waiting.delete(key);
  }

  /** Removes and returns the longest prefix of `queue` that may commit together (at least its first request). */
  private takeGroup(queue: Pending<Req, Res>[]): Pending<Req, Res>[] {
    let size = 1;
    const requests = [(queue[0] as Pending<Req, Res>).request];
    while (size < queue.length && this.options.canJoin(requests, (queue[size] as Pending<Req, Res>).request)) {
      requests.push((queue[size] as Pending<Req, Res>).request);
      size++;
    }
    return queue.splice(0, size);
  }
}
