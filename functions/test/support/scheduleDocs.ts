import type { Schedule } from "../../src/bridge/commands";

/**
 * A well-formed weekday schedule as the apps write it to `schedule_mode/{title}`: valid for the bridge's
 * add_schedule command, the smart-home runner and firestore.rules alike, so each test states only what it varies.
 */
export const WEEKDAY_SCHEDULE: Readonly<Schedule> = Object.freeze({
  title: "weekday-morning",
  name: "Demo Member",
  enabled: true,
  repeat: true,
  daysOfWeek: [false, true, true, true, true, true, false],
  startTime: "0730",
  modeNum: 0,
  airconEnable: 2,
  airconWindPower: 2,
  lightEnable: 1,
  lightBrightness: 7,
  lightColor: 3,
  lightMode: 0,
  windowOpen: 1,
  gasValveEnable: 2,
});

/** The document without `field`, as an app that never wrote it would leave it. */
export function withoutField<T extends object>(doc: T, field: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([k]) => k !== field));
}
