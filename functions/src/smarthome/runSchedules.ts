import { onSchedule } from "firebase-functions/v2/scheduler";
import { FUNCTION_DEFAULTS, SLACK_WEBHOOK_URL } from "../core/config";
import { SEOUL_TIME_ZONE } from "../core/seoulTime";
import { smarthomeDeps } from "./deps";
import { runDueSchedules } from "./scheduleRunner";

/** Every minute in Seoul: due schedules become commands to the home, once per schedule and due minute. */
export const runSchedules = onSchedule(
  { ...FUNCTION_DEFAULTS, schedule: "* * * * *", timeZone: SEOUL_TIME_ZONE, secrets: [SLACK_WEBHOOK_URL], retryCount: 1 },
  async (event) => {
    const scheduled = Date.parse(event.scheduleTime);
    const deps = smarthomeDeps();
    await runDueSchedules(Number.isFinite(scheduled) ? scheduled : deps.now(), deps);
  },
);
