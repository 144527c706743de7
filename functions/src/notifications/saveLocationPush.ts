import { scheduledPush } from "./scheduledPush";

/** Every :00 and :30 in Seoul: the silent push that wakes apps to record a GPS fix. */
export const saveLocationPush = scheduledPush("saveLocation", "*/30 * * * *");
