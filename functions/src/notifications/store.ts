import type { OnceLedger, OnceRecord, OnceSettlement } from "../core/once";
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
type RunStatus = "sending" | "sent" | "failed" | "unknown" | "expired";

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

const STATUSES: readonly RunStatus[] = ["sent", "failed", "unknown", "expired"];

/** Whether FCM may have the message decides how a claim ends: only a refusal (`failed`) reopens the run. */
function settlementOf(settlement: RunSettlement): OnceSettlement {
  return settlement.status === "sent"
    ? { state: "done", outcome: "sent", detail: settlement.messageId }
    : { state: settlement.status === "failed" ? "open" : "done", outcome: settlement.status, detail: settlement.error };
}

/** A run as the push code sees it: the once-ledger record of its key. */
function runRecord(key: RunKey, record: OnceRecord): RunRecord {
  const status = record.state === "running" ? "sending" : STATUSES.find((s) => s === record.outcome);
  if (status === undefined) throw new Error(`push run ${runId(key)} holds an unknown outcome ${JSON.stringify(record.outcome)}`);
  const sent = record.outcome === "sent";
  return {
    kind: key.kind,
    scheduledTime: key.scheduledTime,
    status,
    owner: record.owner,
    leaseUntil: record.leaseUntil,
    attempts: record.attempts,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    messageId: sent ? record.detail : null,
    error: sent ? null : record.detail,
  };
}

/**
 * The run records on a once ledger (`push_runs` in Firestore). A run is a lease rather than a plain once-only key
 * because its work, the send, cannot be repeated safely: a holder that died closes the run as `unknown` instead of
 * being reclaimed, and a run not sent in time is closed `expired`.
 */
export class LedgerRunStore implements RunStore {
  constructor(private readonly ledger: OnceLedger) {}

  async claim(key: RunKey, claim: RunClaim): Promise<ClaimResult> {
    const answer = await this.ledger.claim(runId(key), {
      ...claim,
      lapsed: { outcome: "unknown", detail: "the invocation sending it stopped before recording FCM's answer" },
    });
    return { state: answer.state, record: runRecord(key, answer.record) };
  }

  async settle(key: RunKey, owner: string, settlement: RunSettlement, nowMs: number): Promise<RunRecord | undefined> {
    const record = await this.ledger.settle(runId(key), owner, settlementOf(settlement), nowMs);
    return record ? runRecord(key, record) : undefined;
  }

  async get(key: RunKey): Promise<RunRecord | undefined> {
    const record = await this.ledger.get(runId(key));
    return record ? runRecord(key, record) : undefined;
  }
}
