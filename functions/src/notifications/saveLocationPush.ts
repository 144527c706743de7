import { onSchedule } from "firebase-functions/v2/scheduler";
import { pushDeps } from "./deps";
import { runScheduledPush } from "./runner";
import { SCHEDULED_PUSH_OPTIONS } from "./scheduledPush";

/** Every :00 and :30 in Seoul: the silent push that wakes apps to record a GPS fix. */
export const saveLocationPush = onSchedule({ ...SCHEDULED_PUSH_OPTIONS, schedule: "*/30 * * * *" }, async (event) => {
  await runScheduledPush("saveLocation", event.scheduleTime, pushDeps());
});
