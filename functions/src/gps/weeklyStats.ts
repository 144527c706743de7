import { onSchedule } from "firebase-functions/v2/scheduler";
import { onTaskDispatched } from "firebase-functions/v2/tasks";
import { FUNCTION_DEFAULTS, TIME_ZONE } from "../config";
import * as logs from "../logs";
import { weeklyStatsDeps, weeklyTaskPayload } from "./deps";
import { lastFinishedWeek, runWeeklyStats } from "./service";

/** Time each invocation spends starting new pages; the rest of its timeout is for the last page to finish. */
const SCHEDULE_BUDGET_MS = 20 * 60_000;
const TASK_BUDGET_MS = 6 * 60_000;

/** Monday 00:30 in Seoul, twenty minutes after the pathDaily push asked apps to upload the week just finished. */
export const weeklyStats = onSchedule(
  {
    ...FUNCTION_DEFAULTS,
    schedule: "30 0 * * 1",
    timeZone: TIME_ZONE,
    timeoutSeconds: 1800,
    memory: "1GiB",
    retryCount: 2,
    minBackoffSeconds: 60,
  },
  async (event) => {
    const deps = weeklyStatsDeps();
    const week = lastFinishedWeek(Date.parse(event.scheduleTime));
    await runWeeklyStats(deps.store, week, undefined, { ...deps, deadlineMs: deps.now() + SCHEDULE_BUDGET_MS });
  },
);

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
      logs.warn("gps_weekly_task_invalid", { issues: logs.describeIssues(payload.error.issues) });
      return;
    }
    const deps = weeklyStatsDeps();
    await runWeeklyStats(deps.store, payload.data.week, payload.data.after, { ...deps, deadlineMs: deps.now() + TASK_BUDGET_MS });
  },
);
