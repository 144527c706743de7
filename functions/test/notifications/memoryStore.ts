import type { FanoutEntry, Installation, InstallationStore, RegisterResult } from "../../src/notifications/store";
import type { BeginResult, RunChange, RunCounts, RunKey, RunRecord, RunStore } from "../../src/notifications/store";
import { beginRun, claimChange, finishChange, registeredInstallation, releaseChange, runId } from "../../src/notifications/store";
import type { Registration } from "../../src/notifications/tokens";

/**
 * In-memory installation registry honouring the InstallationStore contract (tests, benchmarks, local runs).
 * Token order comes from a sorted index rebuilt only after inserts; deletions leave tombstones that paging skips, so
 * pruning during a fan-out never triggers a re-sort.
 */
export class InMemoryInstallationStore implements InstallationStore {
  private readonly byId = new Map<string, Installation>();
  private readonly idByToken = new Map<string, string>();
  private sorted: string[] = [];
  private dirty = false;

  register(uid: string, registration: Registration, nowMs: number): Promise<RegisterResult> {
    const previous = this.byId.get(registration.installationId);
    const movedFrom: string[] = [];
    const holder = this.idByToken.get(registration.fcmToken);
    if (holder !== undefined && holder !== registration.installationId) {
      this.byId.delete(holder);
      movedFrom.push(holder);
    }
    if (previous && previous.fcmToken !== registration.fcmToken) this.idByToken.delete(previous.fcmToken);
    const installation: Installation = {
      installationId: registration.installationId,
      ...registeredInstallation(uid, registration, nowMs, previous),
    };
    this.byId.set(installation.installationId, installation);
    if (this.idByToken.get(installation.fcmToken) !== installation.installationId) {
      this.idByToken.set(installation.fcmToken, installation.installationId);
      this.dirty = true;
    }
    return Promise.resolve({ created: previous === undefined, movedFrom });
  }

  unregister(uid: string, installationId: string): Promise<boolean> {
    const existing = this.byId.get(installationId);
    if (!existing || existing.uid !== uid) return Promise.resolve(false);
    this.byId.delete(installationId);
    this.idByToken.delete(existing.fcmToken);
    return Promise.resolve(true);
  }

  pageByToken(afterToken: string | null, limit: number): Promise<FanoutEntry[]> {
    if (this.dirty) {
      this.sorted = [...this.idByToken.keys()].sort();
      this.dirty = false;
    }
    const page: FanoutEntry[] = [];
    for (let i = afterToken === null ? 0 : upperBound(this.sorted, afterToken); i < this.sorted.length && page.length < limit; i++) {
      const token = this.sorted[i] as string;
      const id = this.idByToken.get(token);
      const installation = id === undefined ? undefined : this.byId.get(id);
      if (!installation || installation.fcmToken !== token) continue;
      const entry: FanoutEntry = { installationId: installation.installationId, fcmToken: token };
      if (installation.lastFixAt !== undefined) entry.lastFixAt = installation.lastFixAt;
      page.push(entry);
    }
    return Promise.resolve(page);
  }

  prune(entries: readonly FanoutEntry[]): Promise<number> {
    let removed = 0;
    for (const entry of entries) {
      const installation = this.byId.get(entry.installationId);
      if (!installation || installation.fcmToken !== entry.fcmToken) continue;
      this.byId.delete(entry.installationId);
      this.idByToken.delete(entry.fcmToken);
      removed += 1;
    }
    return Promise.resolve(removed);
  }

  markFixReceived(uid: string, atMs: number): Promise<void> {
    for (const installation of this.byId.values()) {
      if (installation.uid === uid && (installation.lastFixAt ?? -Infinity) < atMs) installation.lastFixAt = atMs;
    }
    return Promise.resolve();
  }

  get(installationId: string): Promise<Installation | undefined> {
    const installation = this.byId.get(installationId);
    return Promise.resolve(installation ? { ...installation } : undefined);
  }
}

function upperBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** In-memory run records with the same lease and cursor rules as the Firestore store. */
export class InMemoryRunStore implements RunStore {
  private readonly runs = new Map<string, RunRecord>();

  begin(key: RunKey, owner: string, nowMs: number, leaseMs: number): Promise<BeginResult> {
    const result = beginRun(this.runs.get(runId(key)), key, owner, nowMs, leaseMs);
    if (result.state === "acquired") this.runs.set(runId(key), result.record);
    return Promise.resolve({ ...result, record: { ...result.record } });
  }

  claim(key: RunKey, owner: string, expected: string | null, next: string, counts: RunCounts, leaseUntil: number): Promise<boolean> {
    return Promise.resolve(this.mutate(key, (r) => claimChange(r, owner, expected, next, counts, leaseUntil)) !== undefined);
  }

  release(key: RunKey, owner: string, counts: RunCounts, handOff: boolean): Promise<boolean> {
    return Promise.resolve(this.mutate(key, (r) => releaseChange(r, owner, counts, handOff)) !== undefined);
  }

  finish(key: RunKey, owner: string, counts: RunCounts, status: "done" | "expired", nowMs: number): Promise<RunRecord | undefined> {
    const record = this.mutate(key, (r) => finishChange(r, owner, counts, status, nowMs));
    return Promise.resolve(record ? { ...record } : undefined);
  }

  get(key: RunKey): Promise<RunRecord | undefined> {
    const record = this.runs.get(runId(key));
    return Promise.resolve(record ? { ...record } : undefined);
  }

  /** Applies `change` to a running record, like the Firestore store's transaction; undefined when it was refused. */
  private mutate(key: RunKey, change: (record: RunRecord) => RunChange): RunRecord | undefined {
    const record = this.runs.get(runId(key));
    const update = record?.status === "running" ? change(record) : undefined;
    if (!record || !update) return undefined;
    const next: RunRecord = { ...record, ...update };
    this.runs.set(runId(key), next);
    return next;
  }
}
