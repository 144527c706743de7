/**
 * What the push triggers share: turn a schedule or task invocation into one fan-out run and log its result.
 * The run key is the scheduled minute, so Cloud Scheduler retries and Cloud Tasks continuations of the same
 * occurrence all land on the same run record.
 */
import * as logs from "../logs";
import { DEFAULT_OPTIONS, type FanoutDeps, type FanoutOptions, type FanoutResult, runFanout } from "./fanout";
import type { PushKind } from "./messages";
import type { RunKey } from "./store";

/** ISO-8601 UTC truncated to the minute; throws on anything that is not a date. */
export function scheduledMinute(scheduleTime: string): string {
  const ms = Date.parse(scheduleTime);
  if (Number.isNaN(ms)) throw new RangeError(`scheduleTime is not a date: ${JSON.stringify(scheduleTime)}`);
  return new Date(ms - (((ms % 60_000) + 60_000) % 60_000)).toISOString();
}

export class RunBusyError extends Error {
  constructor(readonly key: RunKey) {
    super(`push run ${key.kind} ${key.scheduledTime} is held by another invocation`);
    this.name = "RunBusyError";
  }
}

/**
 * Runs (or resumes) the push for one scheduled time. A run held by a live invocation rejects with RunBusyError so
 * the scheduler or task queue retries later; the lease expires if that holder died.
 */
export async function runScheduledPush(
  kind: PushKind,
  scheduleTime: string,
  deps: FanoutDeps,
  options: FanoutOptions = DEFAULT_OPTIONS[kind],
): Promise<FanoutResult> {
  const key: RunKey = { kind, scheduledTime: scheduledMinute(scheduleTime) };
  const result = await runFanout(deps, key, options);
  const fields = { kind, scheduledTime: key.scheduledTime, outcome: result.outcome, ...result.counts, failureCodes: result.failureCodes };
  if (result.outcome === "busy") {
    logs.warn("push_run_busy", fields);
    throw new RunBusyError(key);
  }
  if (result.outcome === "lost_lease" || result.outcome === "expired") logs.warn("push_run_stopped", fields);
  else logs.info("push_run", { ...fields, durationMs: result.record?.durationMs ?? null });
  return result;
}
