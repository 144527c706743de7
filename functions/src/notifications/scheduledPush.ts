import { type ScheduleFunction, onSchedule } from "firebase-functions/v2/scheduler";
import { FUNCTION_DEFAULTS, TIME_ZONE } from "../config";
import { pushDeps } from "./deps";
import type { PushKind } from "./messages";
import { runScheduledPush } from "./runner";

/**
 * A wake-up push trigger: one topic send of `kind` per scheduled time. An invocation that rejects (the run is held
 * by another one, or FCM refused the message) is retried by the scheduler against the same run record. The send
 * itself is one HTTP request, so the function needs neither much memory nor long: the lease (5 minutes) outlives
 * the timeout, so a killed invocation's claim is still respected by the retry.
 */
export function scheduledPush(kind: PushKind, schedule: string): ScheduleFunction {
  return onSchedule(
    {
      ...FUNCTION_DEFAULTS,
      schedule,
      timeZone: TIME_ZONE,
      timeoutSeconds: 120,
      memory: "256MiB",
      retryCount: 2,
      minBackoffSeconds: 30,
    },
    async (event) => {
      await runScheduledPush(kind, event.scheduleTime, pushDeps());
    },
  );
}
