import { onTaskDispatched } from "firebase-functions/v2/tasks";
import { FUNCTION_DEFAULTS } from "../config";
import * as logs from "../logs";
import { pushDeps } from "./deps";
import { runScheduledPush } from "./runner";
import { pushTaskPayload } from "./taskContinuation";

/**
 * Continues a push run that used up its invocation's time budget. One dispatch at a time: the fan-out inside
 * already paces itself under the FCM quota, so parallel continuations would only compete for the same quota.
 */
export const pushFanoutTask = onTaskDispatched(
  {
    ...FUNCTION_DEFAULTS,
    timeoutSeconds: 540,
    memory: "512MiB",
    retryConfig: { maxAttempts: 5, minBackoffSeconds: 30, maxBackoffSeconds: 300 },
    rateLimits: { maxConcurrentDispatches: 1, maxDispatchesPerSecond: 1 },
  },
  async (request) => {
    const payload = pushTaskPayload.safeParse(request.data);
    if (!payload.success) {
      // Retrying a malformed task can never succeed: log it and let the queue drop it.
      logs.warn("push_task_invalid", { issues: logs.describeIssues(payload.error.issues) });
      return;
    }
    // Any rejection (a live holder, a store outage) makes the queue retry with its backoff.
    await runScheduledPush(payload.data.kind, payload.data.scheduledTime, pushDeps());
  },
);
