import { onSchedule } from "firebase-functions/v2/scheduler";
import { pushDeps } from "./deps";
import { runScheduledPush } from "./runner";
import { SCHEDULED_PUSH_OPTIONS } from "./scheduledPush";

/** Monday 00:10 in Seoul: the visible push asking apps to upload the past week before statistics run at 00:30. */
export const pathDailyPush = onSchedule({ ...SCHEDULED_PUSH_OPTIONS, schedule: "10 0 * * 1" }, async (event) => {
  await runScheduledPush("pathDaily", event.scheduleTime, pushDeps());
});
