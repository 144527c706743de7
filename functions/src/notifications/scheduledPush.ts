import { type ScheduleFunction, onSchedule } from "firebase-functions/v2/scheduler";
import { FUNCTION_DEFAULTS, TIME_ZONE } from "../config";
import { pushDeps } from "./deps";
import type { PushKind } from "./messages";
import { runScheduledPush } from "./runner";

/**
 * A wake-up push trigger: one fan-out run of `kind` per scheduled time. An invocation that rejects (the run is held
 * by another one, or it failed) is retried by the scheduler, and the retry resumes the same run record.
 */
export function scheduledPush(kind: PushKind, schedule: string): ScheduleFunction {
  return onSchedule(
    {
      ...FUNCTION_DEFAULTS,
      schedule,
      timeZone: TIME_ZONE,
      timeoutSeconds: 540,
      memory: "512MiB",
      retryCount: 2,
      minBackoffSeconds: 30,
    },
    async (event) => {
      await runScheduledPush(kind, event.scheduleTime, pushDeps());
    },
  );
}
