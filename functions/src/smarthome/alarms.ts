import { createHash } from "node:crypto";
import type { Status } from "@wolley/contract";
import { seoulTime } from "../core/seoulTime";

/** The apps show the newest alarms; older ones beyond this count are deleted. */
export const ALARM_KEEP = 20;

export interface AlarmDraft {
  icon: string;
  inform: string;
}

/** An `appliance_alarm/{id}` document as the apps read it. */
export interface Alarm extends AlarmDraft {
  id: string;
  date: string;
}

const SWITCH_TEXTS = [
  { field: "airconEnable", icon: "aircon_icon", on: "에어컨이 켜졌어요.", off: "에어컨이 꺼졌어요." },
  { field: "lightEnable", icon: "light_icon", on: "전등이 켜졌어요.", off: "전등이 꺼졌어요." },
  { field: "windowOpen", icon: "window_icon", on: "창문이 열렸어요.", off: "창문이 닫혔어요." },
  { field: "gasValveEnable", icon: "gasvalve_icon", on: "가스밸브가 열렸어요.", off: "가스밸브가 닫혔어요." },
] as const;

/**
 * The alarms for one status change: a newly selected non-zero mode is one alarm naming the mode; otherwise one per
 * switched appliance. Without a previous status nothing is known to have changed, so nothing is announced.
 */
export function alarmsForChange(before: Status | null, after: Status, modeName: (modeNum: number) => string | undefined): AlarmDraft[] {
  if (!before) return [];
  const mode = newlySelectedMode(before, after);
  if (mode !== undefined) {
    const name = modeName(mode) ?? `${mode}번 모드`;
    return [{ icon: `${mode}mode_icon`, inform: `${name}가 실행되었습니다.` }];
  }
  return SWITCH_TEXTS.filter(({ field }) => before[field] !== after[field]).map(({ field, icon, on, off }) => ({
    icon,
    inform: after[field] === 1 ? on : off,
  }));
}

/** The non-zero mode a change selects, when it is one: the only alarm that needs a mode's name. */
export function newlySelectedMode(before: Status | null, after: Status): number | undefined {
  return before && after.mode !== 0 && after.mode !== before.mode ? after.mode : undefined;
}

const ID_BASE = 10_000_000_000;

/**
 * Document id that sorts newest first by plain string order, as the apps read the collection. The original used
 * `10000000000 - epochSeconds`, which collides within a second; the prefix is kept (so old and new ids interleave
 * correctly) and extended with reversed milliseconds, a hash of the event and the alarm's index within it, which
 * also makes the id the same when an event is replayed.
 */
export function alarmDocId(epochMs: number, eventKey: string, index: number): string {
  const seconds = Math.floor(epochMs / 1000);
  const ms = epochMs - seconds * 1000;
  const hash = createHash("sha256").update(eventKey).digest("hex").slice(0, 10);
  return `${ID_BASE - seconds}-${String(999 - ms).padStart(3, "0")}-${hash}-${index}`;
}

/** The original's date text: Seoul wall clock, unpadded, dot-separated (`2026.11.27.9.5.3`). */
export function alarmDate(epochMs: number): string {
  const t = seoulTime(epochMs);
  return [t.year, t.month, t.day, t.hour, t.minute, t.second].join(".");
}

export function buildAlarms(drafts: readonly AlarmDraft[], epochMs: number, eventKey: string): Alarm[] {
  const date = alarmDate(epochMs);
  return drafts.map((draft, index) => ({ id: alarmDocId(epochMs, eventKey, index), date, ...draft }));
}
