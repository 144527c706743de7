/** Use case: once-type schedules that ran or expired are deleted. */
import * as logs from "../core/logs";
import { ScheduleDocSchema, parseDoc } from "./documents";
import type { SmarthomeDeps } from "./ports";
import { isFinishedOnce } from "./schedules";
import { seoulMinuteKey } from "../core/seoulTime";

/** Deletes a once-type schedule that has run or whose minute passed; re-checked inside the delete's transaction. */
export async function cleanupSchedule(id: string, after: unknown, eventTimeMs: number, deps: Pick<SmarthomeDeps, "store">): Promise<boolean> {
  if (after === null || after === undefined) return false;
  const minuteKey = seoulMinuteKey(eventTimeMs);
  const finished = (data: unknown): boolean => {
    const parsed = parseDoc(ScheduleDocSchema, data);
    return parsed.ok && isFinishedOnce(parsed.value, minuteKey);
  };
  if (!finished(after)) return false;
  const deleted = await deps.store.deleteScheduleIf(id, finished);
  if (deleted) logs.info("smarthome_schedule_deleted", { id, minuteKey });
  return deleted;
}
