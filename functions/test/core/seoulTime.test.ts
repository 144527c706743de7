import assert from "node:assert/strict";
import fc from "fast-check";
import { type SeoulTime, seoulDay, seoulDayStart, seoulMinuteKey, seoulTime, seoulTimestamp } from "../../src/core/seoulTime";

const INTL = new Intl.DateTimeFormat("en-US", {
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

/** The zone database's answer, the oracle for the fixed offset. */
function intlSeoulTime(epochMs: number): SeoulTime {
  const parts = Object.fromEntries(INTL.formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
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

/** The first instant after Korea's last daylight saving time ended (1988-10-09 03:00 KDT). */
const LAST_DST_END = Date.UTC(1988, 9, 8, 18);

describe("the Seoul clock (core/seoulTime.ts)", () => {
  it("agrees with the Asia/Seoul zone of the time zone database for every instant since 1988", () => {
    fc.assert(
      fc.property(fc.integer({ min: LAST_DST_END, max: Date.UTC(2200, 0, 1) }), (t) => {
        assert.deepEqual(seoulTime(t), intlSeoulTime(t));
      }),
      { numRuns: 20_000 },
    );
  });

  it("formats days, minute keys and timestamps in Seoul", () => {
    const t = Date.parse("2026-11-15T15:04:05Z");
    assert.deepEqual(seoulTime(t), { year: 2026, month: 11, day: 16, hour: 0, minute: 4, second: 5, weekday: 1 });
    assert.equal(seoulDay(t), "2026-11-16");
    assert.equal(seoulDayStart("2026-11-16"), Date.parse("2026-11-16T00:00:00+09:00"));
    assert.equal(seoulMinuteKey(t), "202611160004");
    assert.equal(seoulTimestamp(t), "2026-11-16 00:04:05");
  });
});
