/**
 * The one Seoul clock: wall-clock parts, days and keys in Asia/Seoul, where the home, its schedules, its alarm dates
 * and the GPS day buckets live.
 *
 * A fixed UTC+9 offset rather than Intl with the Asia/Seoul zone: Korea has had no daylight saving time since
 * 1988-10-09, and every instant this code sees (schedules, alarms, GPS points from 2000 on) is later, so both agree
 * (the tests check it against Intl); the offset is plain arithmetic where `formatToParts` builds objects per call,
 * and it cannot drift with the ICU data a runtime ships. Should Korea change its zone, this constant is the one
 * place to change.
 */
export const SEOUL_OFFSET_MS = 9 * 3_600_000;

/** A day in ms: in UTC and, with no daylight saving time, in Seoul alike. */
export const DAY_MS = 86_400_000;

/** The IANA name of that zone: the schedulers' `timeZone`, and what the api tells its clients. */
export const SEOUL_TIME_ZONE = "Asia/Seoul";

export interface SeoulTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday, the index the apps use in `daysOfWeek`. */
  weekday: number;
}

export function seoulTime(epochMs: number): SeoulTime {
  const d = new Date(epochMs + SEOUL_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/** `YYYY-MM-DD` of the Seoul day containing `epochMs`. */
export function seoulDay(epochMs: number): string {
  return new Date(epochMs + SEOUL_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whole Seoul days from 1970-01-01 to the one containing `epochMs`: a day's number, for walking day by day. */
export function seoulDayNumber(epochMs: number): number {
  return Math.floor((epochMs + SEOUL_OFFSET_MS) / DAY_MS);
}

/** Epoch ms of 00:00 in Seoul on the day numbered `n` (seoulDayNumber). */
export function seoulDayNumberStart(n: number): number {
  return n * DAY_MS - SEOUL_OFFSET_MS;
}

/** Epoch ms of 00:00 in Seoul on `day` (`YYYY-MM-DD`). */
export function seoulDayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - SEOUL_OFFSET_MS;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** `YYYYMMDD` in Seoul. */
export function seoulDateKey(t: SeoulTime): string {
  return `${pad(t.year, 4)}${pad(t.month)}${pad(t.day)}`;
}

/** `HHMM` in Seoul, the format of a schedule's `startTime`. */
export function seoulHhmm(t: SeoulTime): string {
  return `${pad(t.hour)}${pad(t.minute)}`;
}

/** `YYYYMMDDHHMM`: identifies one due minute. */
export function seoulMinuteKey(epochMs: number): string {
  const t = seoulTime(epochMs);
  return `${seoulDateKey(t)}${seoulHhmm(t)}`;
}

/** `YYYY-MM-DD HH:MM:SS` in Seoul. */
export function seoulTimestamp(epochMs: number): string {
  const t = seoulTime(epochMs);
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
}
