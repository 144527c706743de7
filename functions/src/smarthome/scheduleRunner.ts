/** Use case: every minute, the due schedules become commands to the home. */
import { atMostOnce } from "../core/once";
import type { IssueDetail } from "../core/zodIssues";
import type { Alerter } from "../integrations/alerter";
import * as logs from "../core/logs";
import { type Status, commandChanges, formatProtocol, infoTopic, mergeCommand, parseStatus } from "@wolley/contract";
import { type ModeDoc, ScheduleDocSchema, parseDoc } from "./documents";
import { loadModes } from "./modes";
import type { SmarthomeDeps } from "./ports";
import { isDue, isExpired, scheduleCommand } from "./schedules";
import { seoulMinuteKey } from "../core/seoulTime";
import type { RawDoc } from "./store";

/** MQTT topic of commands to the home (routing key `webos.smarthome.info`). */
export const COMMAND_TOPIC = infoTopic("smarthome");

const byId = (a: RawDoc, b: RawDoc): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export interface ScheduleRunReport {
  minuteKey: string;
  sent: string[];
  unchanged: string[];
  alreadyRun: string[];
  invalid: string[];
  expired: string[];
  failed: string[];
}

/**
 * Runs the schedules due in the minute the scheduler meant (`scheduledMs`, not the clock: a retried or late run
 * evaluates the same minute, and the per-schedule claim `runSchedules:<id>:<minute>` makes a second run of that
 * minute a no-op).
 */
export async function runDueSchedules(scheduledMs: number, deps: SmarthomeDeps): Promise<ScheduleRunReport> {
  const minuteKey = seoulMinuteKey(scheduledMs);
  const report: ScheduleRunReport = { minuteKey, sent: [], unchanged: [], alreadyRun: [], invalid: [], expired: [], failed: [] };
  const [docs, statusRaw] = await Promise.all([deps.store.listSchedules(), deps.store.readStatus()]);
  const status = parseStatus(statusRaw);
  if (!status.ok) logs.warn("smarthome_schedule_status_unknown", { issues: status.issues });
  let expected: Status | null = status.ok ? status.value : null;
  let modes: Map<number, ModeDoc> | undefined;

  for (const doc of [...docs].sort(byId)) {
    const parsed = parseDoc(ScheduleDocSchema, doc.data);
    if (!parsed.ok) {
      report.invalid.push(doc.id);
      await alertInvalidSchedule(deps.alerter, doc.id, parsed.issues);
      continue;
    }
    const schedule = parsed.value;
    try {
      if (!schedule.lastRunMinute && !schedule.expiredMinute && isExpired(schedule, minuteKey)) {
        await deps.store.markScheduleExpired(doc.id, minuteKey);
        report.expired.push(doc.id);
        continue;
      }
      if (!isDue(schedule, scheduledMs)) continue;
      modes ??= await loadModes(deps.store);
      const command = scheduleCommand(schedule, modes);
      if (!command.ok) {
        report.invalid.push(doc.id);
        await alertInvalidSchedule(deps.alerter, doc.id, [command.issue]);
        continue;
      }
      const run = await atMostOnce(
        deps.store.processed,
        `runSchedules:${doc.id}:${minuteKey}`,
        async (): Promise<"alreadyRun" | "unchanged" | "sent"> => {
          // `lastRunMinute` tells the deletion trigger (and the apps) that a once-type schedule has run.
          if (!(await deps.store.markScheduleRun(doc.id, minuteKey))) return "alreadyRun";
          if (expected && !commandChanges(expected, command.command)) return "unchanged";
          const payload = formatProtocol(command.command);
          await deps.outbound.publish({ topic: COMMAND_TOPIC, payload, qos: 1 });
          logs.info("smarthome_schedule_sent", { id: doc.id, minuteKey, payload });
          return "sent";
        },
        { now: deps.now },
      );
      const result = run.ran ? run.value : "alreadyRun";
      report[result].push(doc.id);
      if (result === "sent") expected = expected ? mergeCommand(expected, command.command) : null;
    } catch (err) {
      report.failed.push(doc.id);
      logs.error("smarthome_schedule_failed", err, { id: doc.id, minuteKey });
      await deps.alerter.alert({
        key: `schedule:failed:${doc.id}`,
        message: `schedule_mode/${doc.id} could not run at ${minuteKey}: ${logs.describeError(err).message}`,
      });
    }
  }
  logs.info("smarthome_schedules_run", { ...report });
  return report;
}

function alertInvalidSchedule(alerter: Alerter, id: string, issues: readonly IssueDetail[]): Promise<void> {
  const fields = issues.map((i) => i.path || "(document)");
  return alerter.alert({
    key: `schedule:invalid:${id}:${[...new Set(fields)].sort().join(",")}`,
    message: `schedule_mode/${id} is invalid and was skipped: ${issues.map((i, n) => `${fields[n]}: ${i.message}`).join("; ")}`,
    details: { document: `schedule_mode/${id}`, fields },
  });
}
