/** Wall-clock parts in Asia/Seoul, where the home, its schedules and its alarm dates live. */
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

const FORMAT = new Intl.DateTimeFormat("en-US", {
  timeZone: "Asia/Seoul",
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
  weekday: "short",
});

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

export function seoulTime(epochMs: number): SeoulTime {
  const parts = Object.fromEntries(FORMAT.formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ""),
  };
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
