import { strict as assert } from "node:assert";
import { type ModeDoc, ModeDocSchema, type ScheduleDoc, ScheduleDocSchema, parseDoc } from "../../src/smarthome/documents";
import { formatProtocol } from "@wolley/contract";
import { isDue, isExpired, isFinishedOnce, scheduleCommand } from "../../src/smarthome/schedules";
import { seoulMinuteKey } from "../../src/core/seoulTime";
import { WEEKDAY_SCHEDULE, withoutField } from "../support/scheduleDocs";
import { seoul } from "./fakes";

const MANUAL = {
  airconEnable: true,
  airconWindPower: 3,
  lightEnable: 2,
  lightBrightness: 7,
  lightColor: 1,
  lightMode: 0,
  windowOpen: false,
  gasValveEnable: "2",
};

function schedule(data: Record<string, unknown>): ScheduleDoc {
  const parsed = parseDoc(ScheduleDocSchema, data);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.value;
}

function repeating(days: number[], startTime: string, extra: Record<string, unknown> = {}): ScheduleDoc {
  return schedule({ enabled: true, repeat: true, daysOfWeek: [0, 1, 2, 3, 4, 5, 6].map((d) => days.includes(d)), startTime, ...MANUAL, ...extra });
}

function once(activeDate: string, startTime: string, extra: Record<string, unknown> = {}): ScheduleDoc {
  return schedule({ enabled: true, repeat: false, activeDate, startTime, ...MANUAL, ...extra });
}

describe("smarthome schedules", () => {
  // 2026-11-27 is a Friday (index 5); 2026-11-29 a Sunday (index 0).
  it("is due only in its start minute, on its weekdays (index 0 = Sunday), in Seoul time", () => {
    const friday = repeating([5], "0730");
    assert.equal(isDue(friday, seoul(2026, 11, 27, 7, 30)), true);
    assert.equal(isDue(friday, seoul(2026, 11, 27, 7, 30, 59)), true);
    assert.equal(isDue(friday, seoul(2026, 11, 27, 7, 31)), false);
    assert.equal(isDue(friday, seoul(2026, 11, 27, 7, 29, 59)), false);
    assert.equal(isDue(friday, seoul(2026, 11, 28, 7, 30)), false);
    const sunday = repeating([0], "1200");
    assert.equal(isDue(sunday, seoul(2026, 11, 29, 12, 0)), true);
    assert.equal(isDue(sunday, seoul(2026, 11, 30, 12, 0)), false);
  });

  it("uses the Seoul day across midnight, not the UTC one", () => {
    // Monday 00:10 in Seoul is still Sunday 15:10 in UTC.
    const mondayJustAfterMidnight = repeating([1], "0010");
    assert.equal(isDue(mondayJustAfterMidnight, seoul(2026, 11, 30, 0, 10)), true);
    assert.equal(isDue(repeating([0], "0010"), seoul(2026, 11, 30, 0, 10)), false);
    const saturdayLate = repeating([6], "2359");
    assert.equal(isDue(saturdayLate, seoul(2026, 11, 28, 23, 59)), true);
    assert.equal(isDue(saturdayLate, seoul(2026, 11, 29, 0, 0)), false);
    const sundayMidnight = repeating([0], "0000");
    assert.equal(isDue(sundayMidnight, seoul(2026, 11, 29, 0, 0)), true);
    assert.equal(isDue(sundayMidnight, seoul(2026, 11, 28, 0, 0)), false);
  });

  it("is due on the once date only, in any date spelling the apps use", () => {
    for (const date of ["2026-11-27", "2026.11.27", "20261127", "2026/11/27"]) {
      const s = once(date, "0000");
      assert.equal(isDue(s, seoul(2026, 11, 27, 0, 0)), true, date);
      assert.equal(isDue(s, seoul(2026, 11, 26, 0, 0)), false, date);
      assert.equal(isDue(s, seoul(2026, 11, 28, 0, 0)), false, date);
    }
    // The weekdays of a once-type schedule are irrelevant.
    assert.equal(isDue(once("2026-11-27", "0800", { daysOfWeek: Array(7).fill(false) }), seoul(2026, 11, 27, 8, 0)), true);
  });

  it("is never due when disabled", () => {
    assert.equal(isDue(repeating([5], "0730", { enabled: false }), seoul(2026, 11, 27, 7, 30)), false);
    assert.equal(isDue(once("2026-11-27", "0730", { enabled: false }), seoul(2026, 11, 27, 7, 30)), false);
  });

  it("knows when a once-type schedule expired or ran", () => {
    const s = once("2026-11-27", "0730");
    assert.equal(isExpired(s, seoulMinuteKey(seoul(2026, 11, 27, 7, 30))), false);
    assert.equal(isExpired(s, seoulMinuteKey(seoul(2026, 11, 27, 7, 31))), true);
    assert.equal(isExpired(s, seoulMinuteKey(seoul(2026, 11, 26, 23, 59))), false);
    assert.equal(isFinishedOnce(s, "202611270700"), false);
    assert.equal(isFinishedOnce(once("2026-11-27", "0730", { lastRunMinute: "202611270730" }), "202611270730"), true);
    assert.equal(isFinishedOnce(once("2026-11-27", "0730", { expiredMinute: "202611280000" }), "202611270000"), true);
    assert.equal(isFinishedOnce(repeating([5], "0730", { lastRunMinute: "202611270730" }), "209901010000"), false);
  });

  it("builds a manual command from the schedule's own fields (booleans, numbers, digit strings)", () => {
    const command = scheduleCommand(repeating([5], "0730"), new Map());
    assert.ok(command.ok);
    assert.equal(formatProtocol(command.command), "013271002");
  });

  it("builds a mode command from the mode with that modeNum", () => {
    const mode = parseDoc(ModeDocSchema, { modeNum: 4, modeName: "귀가모드", ...MANUAL, windowOpen: true });
    assert.ok(mode.ok);
    const modes = new Map<number, ModeDoc>([[4, mode.value]]);
    const command = scheduleCommand(repeating([5], "0730", { modeNum: 4, airconEnable: false }), modes);
    assert.ok(command.ok);
    assert.equal(formatProtocol(command.command), "413271012");
    const missing = scheduleCommand(repeating([5], "0730", { modeNum: 5 }), modes);
    assert.deepEqual(missing, { ok: false, issue: { path: "modeNum", message: "no valid mode 5 in modes" } });
  });

  it("accepts the shapes the apps write: nulls for unused fields, modeNum absent or 0, runner bookkeeping", () => {
    const weekday = schedule({ ...withoutField(WEEKDAY_SCHEDULE, "modeNum"), activeDate: null, ...MANUAL, lastRunMinute: null });
    assert.equal(isDue(weekday, seoul(2026, 11, 27, 7, 30)), true);
    const oneOff = schedule({ enabled: true, repeat: false, daysOfWeek: null, activeDate: "2026-11-27", startTime: "0730", modeNum: "0", ...MANUAL });
    assert.equal(isDue(oneOff, seoul(2026, 11, 27, 7, 30)), true);
    assert.equal(isFinishedOnce(oneOff, "202611270730"), false);
  });

  it("reports invalid documents by field", () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ enabled: true, repeat: true, startTime: "0730", ...MANUAL }, ["daysOfWeek"]],
      [{ enabled: true, repeat: false, startTime: "0730", ...MANUAL }, ["activeDate"]],
      [{ enabled: true, repeat: false, activeDate: "2026-02-30", startTime: "0730", ...MANUAL }, ["activeDate"]],
      [{ enabled: true, repeat: true, daysOfWeek: [true], startTime: "0730", ...MANUAL }, ["daysOfWeek"]],
      [{ enabled: true, repeat: true, daysOfWeek: Array(7).fill(true), startTime: "2460", ...MANUAL }, ["startTime"]],
      [{ enabled: true, repeat: true, daysOfWeek: Array(7).fill(true), startTime: "0730", ...MANUAL, windowOpen: 3 }, ["windowOpen"]],
      [{ enabled: true, repeat: true, daysOfWeek: Array(7).fill(true), startTime: "0730", ...MANUAL, lightColor: "a" }, ["lightColor"]],
      [{ enabled: "yes", repeat: true, daysOfWeek: Array(7).fill(true), startTime: "0730", ...MANUAL }, ["enabled"]],
      [{ enabled: true, repeat: true, daysOfWeek: Array(7).fill(true), startTime: "0730", airconEnable: true }, [
        "airconWindPower", "lightEnable", "lightBrightness", "lightColor", "lightMode", "windowOpen", "gasValveEnable",
      ]],
    ];
    for (const [data, fields] of cases) {
      const parsed = parseDoc(ScheduleDocSchema, data);
      assert.equal(parsed.ok, false, JSON.stringify(data));
      if (!parsed.ok) assert.deepEqual(parsed.issues.map((i) => i.path || "(document)").sort(), [...fields].sort(), JSON.stringify(data));
    }
    const notAnObject = parseDoc(ScheduleDocSchema, "schedule");
    assert.equal(notAnObject.ok, false);
  });
});
