/**
 * Once-only work under a string key, for triggers that are delivered at least once. A key's record is a lease: an
 * owner claims it before the work and settles it after, so a retried or overlapping delivery of the same work finds
 * it running (busy) or finished (done) and does nothing. Store-agnostic: the rules live here as pure functions and
 * every OnceLedger (Firestore, memory) applies them atomically per key.
 */
import { randomUUID } from "node:crypto";

/** `running`: an owner holds the key until `leaseUntil`. `done`: finished for good. `open`: may be claimed again. */
type OnceState = "running" | "done" | "open";

export interface OnceRecord {
  state: OnceState;
  owner: string | null;
  leaseUntil: number;
  /** Claims so far, the first included. */
  attempts: number;
  startedAt: number;
  finishedAt: number | null;
  /** What the last holder recorded (e.g. `done`, `failed`), or why the key was closed without one. */
  outcome: string | null;
  /** A detail of that outcome: an error code, a message id. */
  detail: string | null;
}

export interface OnceClaim {
  owner: string;
  nowMs: number;
  /** How long the claim protects the work from other claimants; longer than the function's timeout. */
  leaseMs: number;
  /**
   * A holder whose lease ran out died mid-work. `reclaim` when the work is safe to repeat; otherwise the key is
   * closed `done` with this outcome, because whether the work happened is unknown.
   */
  lapsed: "reclaim" | { outcome: string; detail: string };
  /** From this time on an unclaimed key is closed `done` with outcome `expired` instead of claimed. */
  staleAtMs?: number;
}

export type ClaimAnswer = { state: "claimed" | "done" | "busy"; record: OnceRecord };

export interface OnceSettlement {
  /** `done` ends the key; `open` lets a later claim try again (the work is known not to have happened). */
  state: "done" | "open";
  outcome: string;
  detail: string | null;
}

/** Where the records live. Every operation is atomic per key. */
export interface OnceLedger {
  claim(key: string, claim: OnceClaim): Promise<ClaimAnswer>;
  /** Records how the work ended, only if `owner` still holds the key; undefined otherwise. */
  settle(key: string, owner: string, settlement: OnceSettlement, nowMs: number): Promise<OnceRecord | undefined>;
  get(key: string): Promise<OnceRecord | undefined>;
}

/** The claim rule every ledger applies: the record to store (when it changed) and the answer. */
export function claimStep(existing: OnceRecord | undefined, claim: OnceClaim): { write?: OnceRecord; answer: ClaimAnswer } {
  const { owner, nowMs, leaseMs, lapsed, staleAtMs } = claim;
  const base: OnceRecord = existing ?? {
    state: "open",
    owner: null,
    leaseUntil: 0,
    attempts: 0,
    startedAt: nowMs,
    finishedAt: null,
    outcome: null,
    detail: null,
  };
  const close = (outcome: string, detail: string | null): { write: OnceRecord; answer: ClaimAnswer } => {
    const closed: OnceRecord = { ...base, state: "done", owner: null, leaseUntil: 0, finishedAt: nowMs, outcome, detail: detail ?? base.detail };
    return { write: closed, answer: { state: "done", record: closed } };
  };
  if (base.state === "done") return { answer: { state: "done", record: base } };
  if (base.state === "running") {
    if (base.leaseUntil > nowMs) return { answer: { state: base.owner === owner ? "claimed" : "busy", record: base } };
    if (lapsed !== "reclaim") return close(lapsed.outcome, lapsed.detail);
  }
  if (staleAtMs !== undefined && nowMs >= staleAtMs) return close("expired", null);
  const claimed: OnceRecord = { ...base, state: "running", owner, leaseUntil: nowMs + leaseMs, attempts: base.attempts + 1, finishedAt: null };
  return { write: claimed, answer: { state: "claimed", record: claimed } };
}

/** The settle rule every ledger applies: only the holder of a running key may record its outcome. */
export function settleStep(record: OnceRecord | undefined, owner: string, settlement: OnceSettlement, nowMs: number): OnceRecord | undefined {
  if (!record || record.state !== "running" || record.owner !== owner) return undefined;
  return { ...record, state: settlement.state, owner: null, leaseUntil: 0, finishedAt: nowMs, outcome: settlement.outcome, detail: settlement.detail };
}

/** Another delivery holds the key right now; rethrown so the trigger is retried after it finished. */
export class OnceBusyError extends Error {
  constructor(readonly key: string) {
    super(`${key} is being processed by another delivery`);
    this.name = "OnceBusyError";
  }
}

export interface OnceOptions {
  /** The wall clock by default: leases are compared across instances. */
  now?: () => number;
  /** Longer than the function's timeout: a holder that died blocks the key this long. */
  leaseMs?: number;
}

/** Longer than the 60 s timeout of the triggers that use the default lease. */
const DEFAULT_LEASE_MS = 5 * 60_000;

export type OnceResult<T> = { ran: true; value: T } | { ran: false; state: "done" | "busy"; record: OnceRecord };

/** How a kind of work treats the ledger: what a dead holder, a running key and a failure each mean for it. */
interface WorkPolicy {
  lapsed: OnceClaim["lapsed"];
  /** A key held by another delivery: throw OnceBusyError (so the trigger is retried) or skip. */
  onBusy: "throw" | "skip";
  /** The key's state after `work` threw: `open` for another try, `done` when trying again is unsafe. */
  afterFailure: OnceSettlement["state"];
}

const REPEATABLE: WorkPolicy = { lapsed: "reclaim", onBusy: "throw", afterFailure: "open" };
const UNREPEATABLE: WorkPolicy = {
  lapsed: { outcome: "unknown", detail: "the holder stopped before recording the outcome" },
  onBusy: "skip",
  afterFailure: "done",
};

async function runClaimed<T>(ledger: OnceLedger, key: string, work: () => Promise<T>, policy: WorkPolicy, options: OnceOptions): Promise<OnceResult<T>> {
  const owner = randomUUID();
  const now = options.now ?? Date.now;
  const claim = await ledger.claim(key, { owner, nowMs: now(), leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS, lapsed: policy.lapsed });
  if (claim.state === "busy" && policy.onBusy === "throw") throw new OnceBusyError(key);
  if (claim.state !== "claimed") return { ran: false, state: claim.state, record: claim.record };
  let value: T;
  try {
    value = await work();
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    await ledger.settle(key, owner, { state: policy.afterFailure, outcome: "failed", detail }, now());
    throw err;
  }
  await ledger.settle(key, owner, { state: "done", outcome: "done", detail: null }, now());
  return { ran: true, value };
}

/**
 * Runs `work` unless `key` is done; marks it done only after `work` resolved. `work` must be safe to repeat: a
 * failure reopens the key for the retry, and a holder that died is reclaimed once its lease ran out. A delivery that
 * finds the key running throws OnceBusyError.
 */
export function once<T>(ledger: OnceLedger, key: string, work: () => Promise<T>, options: OnceOptions = {}): Promise<OnceResult<T>> {
  return runClaimed(ledger, key, work, REPEATABLE, options);
}

/**
 * Runs `work` for the one caller that claims `key`, and never again: the key is done whether `work` resolved or
 * threw, and a holder that died closes it as `unknown`. For work that must not be repeated (a command to a device).
 */
export function atMostOnce<T>(ledger: OnceLedger, key: string, work: () => Promise<T>, options: OnceOptions = {}): Promise<OnceResult<T>> {
  return runClaimed(ledger, key, work, UNREPEATABLE, options);
}
