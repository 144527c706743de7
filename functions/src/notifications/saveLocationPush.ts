import { onSchedule } from "firebase-functions/v2/scheduler";
import { FUNCTION_DEFAULTS, TIME_ZONE } from "../config";
import { pushDeps } from "./deps";
import { runScheduledPush } from "./runner";

/** Every :00 and :30 in Seoul: the silent push that wakes apps to record a GPS fix. */
export const saveLocationPush = onSchedule(
  {
    ...FUNCTION_DEFAULTS,
    schedule: "*/30 * * * *",
    timeZone: TIME_ZONE,
    timeoutSeconds: 540,
    memory: "512MiB",
    retryCount: 2,
    minBackoffSeconds: 30,
  },
  async (event) => {
    await runScheduledPush("saveLocation", event.scheduleTime, pushDeps());
  },
);
