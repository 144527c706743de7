/**
 * The store side of the per-token pipeline that shipped before topic delivery, kept as the wake-up cost
 * benchmark's baseline: a token-ordered registry read page by page, and run records with a cursor claimed before
 * each window is sent.
 */
import type { PushKind } from "../../../functions/src/notifications/messages";
import { type ClaimResult, type RunKey, runId } from "../../../functions/src/notifications/store";

export type { RunKey };

/** What the fan-out reads per installation: just enough to address, skip and prune it. */
export interface FanoutEntry {
  installationId: string;
  fcmToken: string;
  lastFixAt?: number;
}

/** The registry as the per-token fan-out reads it. */
export interface InstallationStore {
  /** Installations with tokens strictly greater than `afterToken` (all when null), in token order. */
  pageByToken(afterToken: string | null, limit: number): Promise<FanoutEntry[]>;
  /** Deletes each given installation only if it still holds the given token; resolves to the number deleted. */
  prune(entries: readonly FanoutEntry[]): Promise<number>;
}

export interface RunCounts {
  attempted: number;
  sent: number;
  pruned: number;
  failed: number;
  /** Installations not woken because they uploaded a fix within the last period. */
  skippedRecent: number;
  /** Stored registrations whose token no longer passes validation (legacy data); left in place, never sent to. */
  skippedInvalid: number;
}

const ZERO_COUNTS: RunCounts = { attempted: 0, sent: 0, pruned: 0, failed: 0, skippedRecent: 0, skippedInvalid: 0 };

type RunStatus = "running" | "done" | "expired";

/** The record of one scheduled push: `push_runs/{kind}_{scheduledTime}`. */
export interface RunRecord extends RunCounts {
  kind: PushKind;
  scheduledTime: string;
  status: RunStatus;
  /** Highest token already claimed; tokens up to it are never sent again for this run. */
  cursor: string | null;
  owner: string | null;
  leaseUntil: number;
  startedAt: number;
  finishedAt: number | null;
  durationMs: number | null;
  handOffs: number;
}

export type BeginResult = ClaimResult<RunRecord>;

export interface RunStore {
  /** Takes the run's lease for `owner` unless the run is finished or another live owner holds it. */
  begin(key: RunKey, owner: string, nowMs: number, leaseMs: number): Promise<BeginResult>;
  /**
   * Moves the cursor from `expected` to `next` and saves the counts, only if `owner` still holds the lease and the
   * cursor has not moved; this is what makes a window of tokens belong to exactly one invocation.
   */
  claim(key: RunKey, owner: string, expected: string | null, next: string, counts: RunCounts, leaseUntil: number): Promise<boolean>;
  /** Saves counts and gives the lease up (for a continuation or after a failure) without finishing. */
  release(key: RunKey, owner: string, counts: RunCounts, handOff: boolean): Promise<boolean>;
  finish(key: RunKey, owner: string, counts: RunCounts, status: "done" | "expired", nowMs: number): Promise<RunRecord | undefined>;
  get(key: RunKey): Promise<RunRecord | undefined>;
}

function newRunRecord(key: RunKey, owner: string, nowMs: number, leaseMs: number): RunRecord {
  return {
    kind: key.kind,
    scheduledTime: key.scheduledTime,
    status: "running",
    cursor: null,
    owner,
    leaseUntil: nowMs + leaseMs,
    startedAt: nowMs,
    finishedAt: null,
    durationMs: null,
    handOffs: 0,
    ...ZERO_COUNTS,
  };
}

/**
 * The lease rules of `RunStore.begin`, shared by both stores: a finished run stays finished, a live lease held by
 * another owner is respected, anything else is (re)acquired.
 */
function beginRun(existing: RunRecord | undefined, key: RunKey, owner: string, nowMs: number, leaseMs: number): BeginResult {
  if (!existing) return { state: "claimed", record: newRunRecord(key, owner, nowMs, leaseMs) };
  if (existing.status !== "running") return { state: "done", record: existing };
  if (existing.owner !== null && existing.owner !== owner && existing.leaseUntil > nowMs) {
    return { state: "busy", record: existing };
  }
  return { state: "claimed", record: { ...existing, owner, leaseUntil: nowMs + leaseMs } };
}

/**
 * The changes `claim`, `release` and `finish` make to a running record, shared by both stores; undefined when the
 * caller no longer holds the lease (or, for a claim, the cursor has moved).
 */
export type RunChange = Partial<RunRecord> | undefined;

function claimChange(record: RunRecord, owner: string, expected: string | null, next: string, counts: RunCounts, leaseUntil: number): RunChange {
  return record.owner === owner && record.cursor === expected ? { ...counts, cursor: next, leaseUntil } : undefined;
}

function releaseChange(record: RunRecord, owner: string, counts: RunCounts, handOff: boolean): RunChange {
  return record.owner === owner
    ? { ...counts, owner: null, leaseUntil: 0, handOffs: record.handOffs + (handOff ? 1 : 0) }
    : undefined;
}

function finishChange(record: RunRecord, owner: string, counts: RunCounts, status: "done" | "expired", nowMs: number): RunChange {
  return record.owner === owner
    ? { ...counts, status, owner: null, leaseUntil: 0, finishedAt: nowMs, durationMs: nowMs - record.startedAt }
    : undefined;
}

/** In-memory run records with the same lease and cursor rules as the Firestore store. */
export class InMemoryRunStore implements RunStore {
  private readonly runs = new Map<string, RunRecord>();

  begin(key: RunKey, owner: string, nowMs: number, leaseMs: number): Promise<BeginResult> {
    const result = beginRun(this.runs.get(runId(key)), key, owner, nowMs, leaseMs);
    if (result.state === "claimed") this.runs.set(runId(key), result.record);
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
