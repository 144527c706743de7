/**
 * One wake-up run: a single topic message that FCM fans out to every subscribed installation. The run record is
 * claimed before the send, so a retried or overlapping invocation of the same scheduled time sends nothing; only
 * an answer from FCM refusing the message (nothing was sent) lets the send be tried again.
 * No Firebase imports: every effect goes through the injected ports.
 */
import { buildTopicMessage, type PushKind } from "./messages";
import { type BackoffOptions, DEFAULT_BACKOFF, decide, retryDelayMs } from "./policy";
import type { RunKey, RunRecord, RunStore } from "./store";
import { type PushFailure, type PushMessenger, WAKEUP_TOPIC, failureOf } from "./topics";

export interface PushDeps {
  runs: RunStore;
  messenger: Pick<PushMessenger, "send">;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1); injected so jitter is reproducible in tests. */
  random: () => number;
  newOwner: () => string;
}

export interface PushOptions {
  topic: string;
  /** Sends within one invocation, including the first; 429/5xx answers are retried until this is reached. */
  maxAttempts: number;
  backoff: BackoffOptions;
  /** How long a claim protects a send from other invocations; longer than the function's timeout. */
  leaseMs: number;
  /** A run not sent this long after its scheduled time is dropped: the next wake-up supersedes it. */
  staleAfterMs: number;
}

const BASE_OPTIONS: Omit<PushOptions, "staleAfterMs"> = {
  topic: WAKEUP_TOPIC,
  maxAttempts: 5,
  backoff: DEFAULT_BACKOFF,
  leaseMs: 5 * 60_000,
};

export const DEFAULT_OPTIONS: Record<PushKind, PushOptions> = {
  saveLocation: { ...BASE_OPTIONS, staleAfterMs: 25 * 60_000 },
  pathDaily: { ...BASE_OPTIONS, staleAfterMs: 6 * 60 * 60_000 },
};

/**
 * `sent`: FCM accepted the message. `failed`: FCM refused it every time; a later invocation may try again.
 * `unknown`: the request may or may not have reached FCM, so it is never sent again. `already_done`: an earlier
 * invocation settled this scheduled time (or it is stale). `busy`: another invocation is sending it right now.
 */
type PushOutcome = "sent" | "failed" | "unknown" | "already_done" | "busy";

export interface PushResult {
  outcome: PushOutcome;
  record: RunRecord | undefined;
  /** Sends this invocation made. */
  sends: number;
  failure?: PushFailure;
}

export async function runTopicPush(deps: PushDeps, key: RunKey, options: PushOptions): Promise<PushResult> {
  const owner = deps.newOwner();
  const staleAtMs = Date.parse(key.scheduledTime) + options.staleAfterMs;
  const claim = await deps.runs.claim(key, { owner, nowMs: deps.now(), leaseMs: options.leaseMs, staleAtMs });
  if (claim.state !== "claimed") return { outcome: claim.state === "busy" ? "busy" : "already_done", record: claim.record, sends: 0 };
  for (let attempt = 1; ; attempt++) {
    let failure: PushFailure;
    try {
      const messageId = await deps.messenger.send(buildTopicMessage(key.kind, options.topic, deps.now()));
      const record = await deps.runs.settle(key, owner, { status: "sent", messageId }, deps.now());
      return { outcome: "sent", record, sends: attempt };
    } catch (err) {
      failure = failureOf(err);
    }
    if (!answeredByFcm(failure)) {
      const record = await deps.runs.settle(key, owner, { status: "unknown", error: failure.code }, deps.now());
      return { outcome: "unknown", record, sends: attempt, failure };
    }
    if (decide(failure) !== "retry" || attempt >= options.maxAttempts) {
      const record = await deps.runs.settle(key, owner, { status: "failed", error: failure.code }, deps.now());
      return { outcome: "failed", record, sends: attempt, failure };
    }
    await deps.sleep(retryDelayMs(attempt, deps.random(), undefined, options.backoff));
  }
}

/**
 * firebase-admin reports FCM's own refusals as `messaging/*` codes; anything else (`app/network-error`, a timeout)
 * happened on the way and leaves open whether FCM got the message.
 */
function answeredByFcm(failure: PushFailure): boolean {
  return failure.code.startsWith("messaging/") || failure.status !== undefined;
}
