import type { PushKind } from "./messages";
import type { Platform, Registration } from "./tokens";

/** One registered app installation; the installation id is the key, the token is unique across installations. */
export interface Installation {
  installationId: string;
  uid: string;
  fcmToken: string;
  platform: Platform;
  appVersion?: string;
  timeZone?: string;
  updatedAt: number;
  /** Epoch ms of the newest GPS fix the user uploaded; lets saveLocation skip installations that need no wake-up. */
  lastFixAt?: number;
}

/** What the fan-out reads per installation: just enough to address, skip and prune it. */
export interface FanoutEntry {
  installationId: string;
  fcmToken: string;
  lastFixAt?: number;
}

export interface RegisterResult {
  /** False when the installation was already registered (a refresh). */
  created: boolean;
  /** Installations that held this token before and lost it (the token moved here). */
  movedFrom: string[];
}

/**
 * The stored fields of an installation `uid` has just registered. The last fix is kept only from the same user's
 * previous registration: another user's fix says nothing about whether this one needs waking.
 */
export function registeredInstallation(
  uid: string,
  registration: Registration,
  nowMs: number,
  previous: { uid: string; lastFixAt?: number | undefined } | undefined,
): Omit<Installation, "installationId"> {
  const lastFixAt = previous?.uid === uid ? previous.lastFixAt : undefined;
  return {
    uid,
    fcmToken: registration.fcmToken,
    platform: registration.platform,
    updatedAt: nowMs,
    ...(registration.appVersion === undefined ? {} : { appVersion: registration.appVersion }),
    ...(registration.timeZone === undefined ? {} : { timeZone: registration.timeZone }),
    ...(lastFixAt === undefined ? {} : { lastFixAt }),
  };
}

export interface InstallationStore {
  /** Creates or refreshes the installation for `uid`; any other installation holding the token loses it. */
  register(uid: string, registration: Registration, nowMs: number): Promise<RegisterResult>;
  /** Removes the caller's installation; false when there is none owned by `uid`. */
  unregister(uid: string, installationId: string): Promise<boolean>;
  /** Installations with tokens strictly greater than `afterToken` (all when null), in token order. */
  pageByToken(afterToken: string | null, limit: number): Promise<FanoutEntry[]>;
  /**
   * Deletes each given installation only if it still holds the given token (a token refreshed since the send is
   * not dead). Resolves to the number deleted.
   */
  prune(entries: readonly FanoutEntry[]): Promise<number>;
  /** Called by GPS ingestion: the user's installations have just uploaded a fix taken at `atMs`. */
  markFixReceived(uid: string, atMs: number): Promise<void>;
  get(installationId: string): Promise<Installation | undefined>;
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

export const ZERO_COUNTS: RunCounts = { attempted: 0, sent: 0, pruned: 0, failed: 0, skippedRecent: 0, skippedInvalid: 0 };

export type RunStatus = "running" | "done" | "expired";

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

export interface RunKey {
  kind: PushKind;
  /** ISO-8601 UTC, truncated to the minute. */
  scheduledTime: string;
}

export type BeginResult =
  | { state: "acquired"; record: RunRecord }
  | { state: "done"; record: RunRecord }
  | { state: "busy"; record: RunRecord };

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

export function runId(key: RunKey): string {
  return `${key.kind}_${key.scheduledTime}`;
}

export function newRunRecord(key: RunKey, owner: string, nowMs: number, leaseMs: number): RunRecord {
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
export function beginRun(existing: RunRecord | undefined, key: RunKey, owner: string, nowMs: number, leaseMs: number): BeginResult {
  if (!existing) return { state: "acquired", record: newRunRecord(key, owner, nowMs, leaseMs) };
  if (existing.status !== "running") return { state: "done", record: existing };
  if (existing.owner !== null && existing.owner !== owner && existing.leaseUntil > nowMs) {
    return { state: "busy", record: existing };
  }
  return { state: "acquired", record: { ...existing, owner, leaseUntil: nowMs + leaseMs } };
}

/**
 * The changes `claim`, `release` and `finish` make to a running record, shared by both stores; undefined when the
 * caller no longer holds the lease (or, for a claim, the cursor has moved).
 */
export type RunChange = Partial<RunRecord> | undefined;

export function claimChange(record: RunRecord, owner: string, expected: string | null, next: string, counts: RunCounts, leaseUntil: number): RunChange {
  return record.owner === owner && record.cursor === expected ? { ...counts, cursor: next, leaseUntil } : undefined;
}

export function releaseChange(record: RunRecord, owner: string, counts: RunCounts, handOff: boolean): RunChange {
  return record.owner === owner
    ? { ...counts, owner: null, leaseUntil: 0, handOffs: record.handOffs + (handOff ? 1 : 0) }
    : undefined;
}

export function finishChange(record: RunRecord, owner: string, counts: RunCounts, status: "done" | "expired", nowMs: number): RunChange {
  return record.owner === owner
    ? { ...counts, status, owner: null, leaseUntil: 0, finishedAt: nowMs, durationMs: nowMs - record.startedAt }
    : undefined;
}
