import { onSchedule } from "firebase-functions/v2/scheduler";
import { FUNCTION_DEFAULTS, TIME_ZONE } from "../config";
import { pushDeps } from "./deps";
import { runScheduledPush } from "./runner";

/** Monday 00:10 in Seoul: the visible push asking apps to upload the past week before statistics run at 00:30. */
export const pathDailyPush = onSchedule(
  {
    ...FUNCTION_DEFAULTS,
    schedule: "10 0 * * 1",
    timeZone: TIME_ZONE,
    timeoutSeconds: 540,
    memory: "512MiB",
    retryCount: 2,
    minBackoffSeconds: 30,
  },
  async (event) => {
    await runScheduledPush("pathDaily", event.scheduleTime, pushDeps());
  },
);
