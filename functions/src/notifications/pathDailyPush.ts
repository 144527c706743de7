import { scheduledPush } from "./scheduledPush";

/** Monday 00:10 in Seoul: the visible push asking apps to upload the past week before statistics run at 00:30. */
export const pathDailyPush = scheduledPush("pathDaily", "10 0 * * 1");
