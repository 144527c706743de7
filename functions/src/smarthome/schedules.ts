import type { IssueDetail } from "../core/zodIssues";
import { type ApplianceFields, type ModeDoc, type ScheduleDoc, applianceOf } from "./documents";
import type { Status } from "@wolley/contract";
import { seoulDateKey, seoulHhmm, seoulTime } from "../core/seoulTime";

/** A schedule is due when enabled, its start is this Seoul minute, and today is one of its days or its once date. */
export function isDue(schedule: ScheduleDoc, epochMs: number): boolean {
  if (!schedule.enabled) return false;
  const now = seoulTime(epochMs);
  if (schedule.startTime !== seoulHhmm(now)) return false;
  if (schedule.repeat) return schedule.daysOfWeek?.[now.weekday] === true;
  return schedule.activeDate === seoulDateKey(now);
}

/** A once-type schedule whose minute is over (`YYYYMMDDHHMM` strings compare in time order). */
export function isExpired(schedule: ScheduleDoc, minuteKey: string): boolean {
  if (schedule.repeat || !schedule.activeDate) return false;
  return `${schedule.activeDate}${schedule.startTime}` < minuteKey;
}

/** Executed (the runner marked it) or expired: a once-type schedule that must be deleted. */
export function isFinishedOnce(schedule: ScheduleDoc, minuteKey: string): boolean {
  if (schedule.repeat) return false;
  return Boolean(schedule.lastRunMinute) || Boolean(schedule.expiredMinute) || isExpired(schedule, minuteKey);
}

export type CommandResult = { ok: true; command: Status } | { ok: false; issue: IssueDetail };

/** The 9-digit command a due schedule stands for: its own fields (modeNum 0) or those of the mode it names. */
export function scheduleCommand(schedule: ScheduleDoc, modes: ReadonlyMap<number, ModeDoc>): CommandResult {
  let appliance: ApplianceFields | undefined;
  if (schedule.modeNum === 0) {
    appliance = applianceOf(schedule);
    if (!appliance) return { ok: false, issue: { path: "modeNum", message: "manual schedule without appliance fields" } };
  } else {
    const mode = modes.get(schedule.modeNum);
    if (!mode) return { ok: false, issue: { path: "modeNum", message: `no valid mode ${schedule.modeNum} in modes` } };
    appliance = applianceOf(mode);
  }
  if (!appliance) return { ok: false, issue: { path: "modeNum", message: `mode ${schedule.modeNum} lacks appliance fields` } };
  return { ok: true, command: { mode: schedule.modeNum, ...appliance } };
}
