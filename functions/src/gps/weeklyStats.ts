import { onSchedule } from "firebase-functions/v2/scheduler";
import { FUNCTION_DEFAULTS } from "../core/config";
import { SEOUL_TIME_ZONE } from "../core/seoulTime";
import { weeklyStatsDeps } from "./deps";
import { lastFinishedWeek, runWeeklyStats } from "./service";

/** Time the invocation spends starting new pages; the rest of its timeout is for the last page to finish. */
const BUDGET_MS = 20 * 60_000;

/**
 * Monday 00:30 in Seoul, twenty minutes after the pathDaily push asked apps to upload the week just finished. Users
 * that do not fit in the budget are handed to `weeklyStatsTask`.
 */
export const weeklyStats = onSchedule(
  {
    ...FUNCTION_DEFAULTS,
    schedule: "30 0 * * 1",
    timeZone: SEOUL_TIME_ZONE,
    timeoutSeconds: 1800,
    memory: "1GiB",
    retryCount: 2,
    minBackoffSeconds: 60,
  },
  async (event) => {
    const deps = weeklyStatsDeps();
    const week = lastFinishedWeek(Date.parse(event.scheduleTime));
    await runWeeklyStats(deps.store, week, undefined, { ...deps, deadlineMs: deps.now() + BUDGET_MS });
  },
);
