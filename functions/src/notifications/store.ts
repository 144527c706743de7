import type { PushKind } from "./messages";
import type { Platform, Registration } from "./tokens";

/**
 * One registered app installation. The installation id is the key and belongs to the user who registered it
 * first; a token may be held by installations of different users (FCM delivers a topic message once per token).
 */
export interface Installation {
  installationId: string;
  uid: string;
  fcmToken: string;
  platform: Platform;
  appVersion?: string;
  timeZone?: string;
  updatedAt: number;
}

/** What the migration and pruning need of an installation. */
export interface InstallationToken {
  installationId: string;
  fcmToken: string;
}

export type RegisterResult =
  | {
      state: "created" | "refreshed";
      /** The token this installation held before, when the registration changed it. */
      previousToken?: string;
      /** The caller's own other installations that held this token and were removed (the token moved here). */
      replaced: string[];
    }
  /** The installation id belongs to another user: nothing was written. */
  | { state: "owned_by_other" };

/** The stored fields of an installation `uid` has just registered. */
export function registeredInstallation(uid: string, registration: Registration, nowMs: number): Omit<Installation, "installationId"> {
  return {
    uid,
    fcmToken: registration.fcmToken,
    platform: registration.platform,
    updatedAt: nowMs,
    ...(registration.appVersion === undefined ? {} : { appVersion: registration.appVersion }),
    ...(registration.timeZone === undefined ? {} : { timeZone: registration.timeZone }),
  };
}

export interface InstallationStore {
  /**
   * Creates or refreshes `uid`'s installation, refusing an id another user holds. Other installations of the same
   * user holding this token are removed; other users' installations are never touched.
   */
  register(uid: string, registration: Registration, nowMs: number): Promise<RegisterResult>;
  /** Removes the caller's installation and returns what it held; undefined when there is none owned by `uid`. */
  unregister(uid: string, installationId: string): Promise<Installation | undefined>;
  /** Whether any installation holds `token` (the token must stay subscribed while one does). */
  holdsToken(token: string): Promise<boolean>;
  /** Installations with ids strictly greater than `afterId` (all when null), in id order: the migration's scan. */
  pageById(afterId: string | null, limit: number): Promise<InstallationToken[]>;
  /**
   * Deletes each given installation only if it still holds the given token (a token refreshed since FCM called it
   * dead is not dead). Resolves to the number deleted.
   */
  prune(entries: readonly InstallationToken[]): Promise<number>;
  get(installationId: string): Promise<Installation | undefined>;
}

/**
 * One scheduled push: `push_runs/{kind}_{scheduledTime}`. `sending` is claimed BEFORE the send, so a retried or
 * overlapping invocation never sends the same run twice; only an answer from FCM that says the message was refused
 * (`failed`) lets a later invocation try again.
 */
export type RunStatus = "sending" | "sent" | "failed" | "unknown" | "expired";

export interface RunRecord {
  kind: PushKind;
  scheduledTime: string;
  status: RunStatus;
  owner: string | null;
  leaseUntil: number;
  /** Invocations that claimed the send. */
  attempts: number;
  startedAt: number;
  finishedAt: number | null;
  /** FCM's message id once sent. */
  messageId: string | null;
  /** The last failure code (`failed`), or why the outcome is unknown. */
  error: string | null;
}

export interface RunKey {
  kind: PushKind;
  /** ISO-8601 UTC, truncated to the minute. */
  scheduledTime: string;
}

/** A claim on a run record (`R`, this pipeline's or a benchmark's) and the record as it stands after it. */
export type ClaimResult<R = RunRecord> =
  | { state: "claimed"; record: R }
  /** Sent, expired, or of unknown outcome: nothing more to do for this scheduled time. */
  | { state: "done"; record: R }
  /** Another live invocation is sending it. */
  | { state: "busy"; record: R };

export interface RunClaim {
  owner: string;
  nowMs: number;
  leaseMs: number;
  /** After this the run is not worth sending any more. */
  staleAtMs: number;
}

/** How a claimed send ended. */
export type RunSettlement = { status: "sent"; messageId: string } | { status: "failed" | "unknown"; error: string };

export interface RunStore {
  /** Claims the send for `owner` (see RunStatus); the record is written before the caller sends anything. */
  claim(key: RunKey, claim: RunClaim): Promise<ClaimResult>;
  /** Records how the send ended, only if `owner` still holds the claim; undefined otherwise. */
  settle(key: RunKey, owner: string, settlement: RunSettlement, nowMs: number): Promise<RunRecord | undefined>;
  get(key: RunKey): Promise<RunRecord | undefined>;
}

export function runId(key: RunKey): string {
  return `${key.kind}_${key.scheduledTime}`;
}

/**
 * The claim rules shared by both run stores. The record to store (when it changed) and the answer: a claim on a
 * record still `sending` after its lease ran out means an invocation died mid-send; whether FCM got the message is
 * unknown, so the run is closed as `unknown` rather than sent again.
 */
export function claimRun(existing: RunRecord | undefined, key: RunKey, claim: RunClaim): { write?: RunRecord; result: ClaimResult } {
  const { owner, nowMs, leaseMs, staleAtMs } = claim;
  const close = (record: RunRecord, status: "expired" | "unknown", error: string | null) => {
    const closed: RunRecord = { ...record, status, owner: null, leaseUntil: 0, finishedAt: nowMs, error: error ?? record.error };
    return { write: closed, result: { state: "done" as const, record: closed } };
  };
  const base: RunRecord = existing ?? {
    kind: key.kind,
    scheduledTime: key.scheduledTime,
    status: "failed",
    owner: null,
    leaseUntil: 0,
    attempts: 0,
    startedAt: nowMs,
    finishedAt: null,
    messageId: null,
    error: null,
  };
  switch (base.status) {
    case "sent":
    case "unknown":
    case "expired":
      return { result: { state: "done", record: base } };
    case "sending":
      if (base.leaseUntil > nowMs) return { result: { state: base.owner === owner ? "claimed" : "busy", record: base } };
      return close(base, "unknown", "the invocation sending it stopped before recording FCM's answer");
    case "failed": {
      if (nowMs >= staleAtMs) return close(base, "expired", null);
      const claimed: RunRecord = { ...base, status: "sending", owner, leaseUntil: nowMs + leaseMs, attempts: base.attempts + 1, finishedAt: null };
      return { write: claimed, result: { state: "claimed", record: claimed } };
    }
  }
}

/** The settle rule shared by both run stores: only the claim's holder may record the outcome. */
export function settleRun(record: RunRecord | undefined, owner: string, settlement: RunSettlement, nowMs: number): RunRecord | undefined {
  if (!record || record.status !== "sending" || record.owner !== owner) return undefined;
  return {
    ...record,
    status: settlement.status,
    owner: null,
    leaseUntil: 0,
    finishedAt: nowMs,
    messageId: settlement.status === "sent" ? settlement.messageId : null,
    error: settlement.status === "sent" ? null : settlement.error,
  };
}
