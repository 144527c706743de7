/**
 * What the push triggers share: turn a schedule invocation into one topic send and log its result. The run key is
 * the scheduled minute, so Cloud Scheduler retries of the same occurrence all land on the same run record.
 */
import * as logs from "../core/logs";
import type { PushKind } from "./messages";
import type { RunKey } from "./store";
import { DEFAULT_OPTIONS, type PushDeps, type PushOptions, type PushResult, runTopicPush } from "./topicPush";

/** ISO-8601 UTC truncated to the minute; throws on anything that is not a date. */
export function scheduledMinute(scheduleTime: string): string {
  const ms = Date.parse(scheduleTime);
  if (Number.isNaN(ms)) throw new RangeError(`scheduleTime is not a date: ${JSON.stringify(scheduleTime)}`);
  return new Date(ms - (((ms % 60_000) + 60_000) % 60_000)).toISOString();
}

/** Rejected so the scheduler retries: another invocation holds the run, or FCM refused the message. */
export class RunRetryableError extends Error {
  constructor(
    readonly key: RunKey,
    readonly outcome: "busy" | "failed",
  ) {
    super(outcome === "busy" ? `push run ${key.kind} ${key.scheduledTime} is held by another invocation` : `FCM refused push run ${key.kind} ${key.scheduledTime}`);
    this.name = "RunRetryableError";
  }
}

/** Sends (or finds already sent) the push for one scheduled time. */
export async function runScheduledPush(
  kind: PushKind,
  scheduleTime: string,
  deps: PushDeps,
  options: PushOptions = DEFAULT_OPTIONS[kind],
): Promise<PushResult> {
  const key: RunKey = { kind, scheduledTime: scheduledMinute(scheduleTime) };
  const result = await runTopicPush(deps, key, options);
  const fields = {
    kind,
    scheduledTime: key.scheduledTime,
    outcome: result.outcome,
    status: result.record?.status ?? null,
    sends: result.sends,
    attempts: result.record?.attempts ?? null,
    messageId: result.record?.messageId ?? null,
    error: result.failure ? `${result.failure.code}: ${result.failure.message}` : (result.record?.error ?? null),
  };
  if (result.outcome === "busy" || result.outcome === "failed") {
    logs.warn(result.outcome === "busy" ? "push_run_busy" : "push_run_failed", fields);
    throw new RunRetryableError(key, result.outcome);
  }
  if (result.outcome === "unknown" || result.record?.status === "expired") logs.warn("push_run_stopped", fields);
  else logs.info("push_run", fields);
  return result;
}
