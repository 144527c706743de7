import { onTaskDispatched } from "firebase-functions/v2/tasks";
import { z } from "zod";
import { FUNCTION_DEFAULTS } from "../core/config";
import * as logs from "../core/logs";
import { weeklyStatsDeps, weeklyTaskPayload } from "./deps";
import { runWeeklyStats } from "./service";

/** Time the invocation spends starting new pages; the rest of its timeout is for the last page to finish. */
const BUDGET_MS = 6 * 60_000;

/** Continues a week whose users did not fit in one invocation; one dispatch at a time, each hands on its cursor. */
export const weeklyStatsTask = onTaskDispatched(
  {
    ...FUNCTION_DEFAULTS,
    timeoutSeconds: 540,
    memory: "1GiB",
    retryConfig: { maxAttempts: 5, minBackoffSeconds: 30, maxBackoffSeconds: 300 },
    rateLimits: { maxConcurrentDispatches: 1 },
  },
  async (request) => {
    const payload = weeklyTaskPayload.safeParse(request.data);
    if (!payload.success) {
      // Retrying a malformed task can never succeed: log it and let the queue drop it.
      logs.warn("gps_weekly_task_invalid", { issues: z.flattenError(payload.error) });
      return;
    }
    const deps = weeklyStatsDeps();
    await runWeeklyStats(deps.store, payload.data.week, payload.data.after, { ...deps, deadlineMs: deps.now() + BUDGET_MS });
  },
);
