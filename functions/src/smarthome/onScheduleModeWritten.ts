import { onDocumentWritten } from "firebase-functions/v2/firestore";
import { FUNCTION_DEFAULTS } from "../core/config";
import { smarthomeDeps } from "./deps";
import { cleanupSchedule } from "./scheduleCleanup";
import { SMARTHOME_COLLECTIONS } from "./paths";

/** Deletes once-type schedules the runner marked as run or expired (and ones written with a past date). */
export const onScheduleModeWritten = onDocumentWritten({ ...FUNCTION_DEFAULTS, document: `${SMARTHOME_COLLECTIONS.schedules}/{id}`, retry: true }, async (event) => {
  await cleanupSchedule(event.params.id, event.data?.after.data(), Date.parse(event.time), smarthomeDeps());
});
