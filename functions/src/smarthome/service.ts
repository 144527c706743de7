/**
 * The smart-home use cases. Triggers parse their event and call these; these talk only to the store, the alerter,
 * the outbound port and the weather client they are given.
 */
import { z } from "zod";
import type { OutboundPort } from "../bridge/outbound";
import type { Alerter } from "../integrations/alerter";
import type { WeatherSnapshot } from "../integrations/weather";
import * as logs from "../logs";
import { ALARM_KEEP, alarmsForChange, buildAlarms, newlySelectedMode } from "./alarms";
import { type DocIssue, HomeSensorSchema, type ModeDoc, ModeDocSchema, ScheduleDocSchema, isRaining, modeDocId, parseDoc } from "./documents";
import { type Status, commandChanges, describeIssues, formatProtocol, infoTopic, mergeCommand, parseStatus } from "@wolley/contract";
import { recommend } from "./recommendation";
import { isDue, isExpired, isFinishedOnce, scheduleCommand } from "./schedules";
import { seoulMinuteKey } from "../core/seoulTime";
import type { RawDoc, SmarthomeStore } from "./store";

export interface SmarthomeDeps {
  store: SmarthomeStore;
  alerter: Alerter;
  outbound: OutboundPort;
  fetchWeather: () => Promise<WeatherSnapshot>;
  now: () => number;
}

/** MQTT topic of commands to the home (routing key `webos.smarthome.info`). */
export const COMMAND_TOPIC = infoTopic("smarthome");

export interface StatusChange {
  /** `functionName:eventId`: the same event delivered twice writes its alarms once. */
  eventKey: string;
  eventTimeMs: number;
  before: unknown;
  after: unknown;
}

export type StatusOutcome = "deleted" | "invalid" | "duplicate" | "applied";

export async function handleStatusWritten(change: StatusChange, deps: SmarthomeDeps): Promise<StatusOutcome> {
  if (change.after === null || change.after === undefined) {
    logs.warn("smarthome_status_deleted", { eventKey: change.eventKey });
    await recomputeRecommendation(deps);
    return "deleted";
  }
  const after = parseStatus(change.after);
  if (!after.ok) {
    const shown = JSON.stringify(change.after).slice(0, 64);
    await deps.alerter.alert({
      key: `smarthome:status_invalid:${shown}`,
      device: "smarthome",
      message: `smarthome/status holds an invalid value ${shown}: ${describeIssues(after.issues)}`,
      details: { value: shown, issues: after.issues },
    });
    return "invalid";
  }
  const before = parseStatus(change.before);
  const previous = before.ok ? before.value : null;
  const modes = newlySelectedMode(previous, after.value) !== undefined ? await loadModes(deps.store) : new Map<number, ModeDoc>();
  const drafts = alarmsForChange(previous, after.value, (n) => modes.get(n)?.modeName);
  let outcome: StatusOutcome = "applied";
  if (drafts.length > 0) {
    const result = await deps.store.appendAlarms(change.eventKey, buildAlarms(drafts, change.eventTimeMs, change.eventKey), ALARM_KEEP);
    if (result.duplicate) outcome = "duplicate";
    logs.info("smarthome_alarms_written", { eventKey: change.eventKey, ...result });
  }
  await recomputeRecommendation(deps);
  return outcome;
}

const WeatherInputSchema = z.object({ icon: z.string().optional(), air_level: z.number().optional() });

/** Rounds of write-then-verify before giving up; the next input change recomputes anyway. */
const RECOMMENDATION_ROUNDS = 5;

/**
 * Reads all three inputs fresh (not from the triggering event). Two recomputes can interleave so that the one that
 * read older inputs writes last; therefore whoever writes reads the inputs again afterwards and writes again until
 * its text matches them, which leaves `server/notification` matching the newest inputs.
 */
export async function recomputeRecommendation(deps: Pick<SmarthomeDeps, "store">): Promise<{ text: string; changed: boolean }> {
  let changed = false;
  let text = "";
  for (let round = 0; round < RECOMMENDATION_ROUNDS; round++) {
    text = await currentRecommendation(deps.store);
    if (!(await deps.store.writeNotification(text))) return { text, changed };
    changed = true;
    logs.info("smarthome_recommendation_changed", { text });
  }
  logs.warn("smarthome_recommendation_unsettled", { text, rounds: RECOMMENDATION_ROUNDS });
  return { text, changed };
}

async function currentRecommendation(store: SmarthomeStore): Promise<string> {
  const [statusRaw, homeRaw, weatherRaw] = await Promise.all([store.readStatus(), store.readHomeSensor(), store.readWeather()]);
  const status = parseStatus(statusRaw);
  const home = HomeSensorSchema.safeParse(homeRaw ?? {});
  const weather = WeatherInputSchema.safeParse(weatherRaw ?? {});
  if (!home.success) logs.warn("smarthome_home_sensor_invalid", { value: homeRaw });
  if (!weather.success) logs.warn("smarthome_weather_invalid", { value: weatherRaw });
  return recommend({
    status: status.ok ? status.value : null,
    homeRain: home.success && isRaining(home.data.rain),
    weatherIcon: weather.success ? (weather.data.icon ?? null) : null,
    airLevel: weather.success ? (weather.data.air_level ?? null) : null,
  });
}

/** The valid modes by number; a document whose id is not its number (a shadow of another mode) is ignored. */
async function loadModes(store: SmarthomeStore): Promise<Map<number, ModeDoc>> {
  const modes = new Map<number, ModeDoc>();
  for (const doc of await store.listModes()) {
    const parsed = parseDoc(ModeDocSchema, doc.data);
    if (!parsed.ok) {
      logs.warn("smarthome_mode_invalid", { id: doc.id, issues: parsed.issues });
      continue;
    }
    if (doc.id !== modeDocId(parsed.value)) {
      logs.warn("smarthome_mode_misplaced", { id: doc.id, modeNum: parsed.value.modeNum, expectedId: modeDocId(parsed.value) });
      continue;
    }
    modes.set(parsed.value.modeNum, parsed.value);
  }
  return modes;
}

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
 * evaluates the same minute, and the per-schedule claim makes a second run of that minute a no-op).
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
      if (!(await deps.store.claimScheduleRun(doc.id, minuteKey))) {
        report.alreadyRun.push(doc.id);
        continue;
      }
      if (expected && !commandChanges(expected, command.command)) {
        report.unchanged.push(doc.id);
        continue;
      }
      const payload = formatProtocol(command.command);
      await deps.outbound.publish({ topic: COMMAND_TOPIC, payload, qos: 1 });
      logs.info("smarthome_schedule_sent", { id: doc.id, minuteKey, payload });
      report.sent.push(doc.id);
      expected = expected ? mergeCommand(expected, command.command) : null;
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

function alertInvalidSchedule(alerter: Alerter, id: string, issues: readonly DocIssue[]): Promise<void> {
  const fields = issues.map((i) => i.field);
  return alerter.alert({
    key: `schedule:invalid:${id}:${[...new Set(fields)].sort().join(",")}`,
    message: `schedule_mode/${id} is invalid and was skipped: ${issues.map((i) => `${i.field}: ${i.message}`).join("; ")}`,
    details: { document: `schedule_mode/${id}`, fields },
  });
}

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

export const WEATHER_OUTAGE_KEY = "weather:outage";

/** Fetches and stores the weather; on failure keeps the last values and alerts once per outage. */
export async function refreshWeatherSnapshot(deps: SmarthomeDeps): Promise<{ ok: boolean }> {
  let snapshot: WeatherSnapshot;
  try {
    snapshot = await deps.fetchWeather();
  } catch (err) {
    const reason = logs.describeError(err).message;
    logs.error("weather_refresh_failed", err);
    const startedAt = deps.now();
    if (await deps.store.beginWeatherOutage(startedAt, reason)) {
      // Keyed per outage: two outages can start less than one alert window apart (the window is two refresh
      // intervals), and under one shared key the gate would swallow the second outage's only alert.
      await deps.alerter.alert({
        key: `${WEATHER_OUTAGE_KEY}:${startedAt}`,
        message: `OpenWeatherMap refresh failed; sensor/openweather keeps its last values: ${reason}`,
        details: { reason },
      });
    }
    return { ok: false };
  }
  await deps.store.writeWeather(snapshot);
  if (await deps.store.endWeatherOutage()) logs.info("weather_outage_ended", {});
  return { ok: true };
}
