import { strict as assert } from "node:assert";
import fc from "fast-check";
import { OnceBusyError } from "../../src/core/once";
import { ALARM_KEEP, type Alarm, alarmDate, alarmDocId, alarmsForChange, buildAlarms } from "../../src/smarthome/alarms";
import { type AlarmWrite, writeAlarms } from "../../src/smarthome/statusChange";
import { MemorySmarthomeStore, alarmsToTrim } from "./memoryStore";
import { type Status, parseStatus } from "@wolley/contract";
import { seoul } from "./fakes";

function status(s: string): Status {
  const parsed = parseStatus(s);
  assert.ok(parsed.ok, s);
  return parsed.value;
}

/** One delivery of an event's alarms; one that finds the same event running is redelivered, as the trigger's retry does. */
async function deliver(store: MemorySmarthomeStore, key: string, alarms: readonly Alarm[]): Promise<AlarmWrite> {
  for (;;) {
    try {
      return await writeAlarms({ store, now: () => 0 }, key, alarms);
    } catch (err) {
      if (!(err instanceof OnceBusyError)) throw err;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

const names = new Map([[3, "외출모드"], [1, "취침모드"]]);
const modeName = (n: number): string | undefined => names.get(n);

describe("smarthome alarms", () => {
  const cases: [string, string, { icon: string; inform: string }[]][] = [
    ["000000000", "010000000", [{ icon: "aircon_icon", inform: "에어컨이 켜졌어요." }]],
    ["010000000", "000000000", [{ icon: "aircon_icon", inform: "에어컨이 꺼졌어요." }]],
    ["000000000", "000100000", [{ icon: "light_icon", inform: "전등이 켜졌어요." }]],
    ["000100000", "000000000", [{ icon: "light_icon", inform: "전등이 꺼졌어요." }]],
    ["000000000", "000000010", [{ icon: "window_icon", inform: "창문이 열렸어요." }]],
    ["000000010", "000000000", [{ icon: "window_icon", inform: "창문이 닫혔어요." }]],
    ["000000000", "000000001", [{ icon: "gasvalve_icon", inform: "가스밸브가 열렸어요." }]],
    ["000000001", "000000000", [{ icon: "gasvalve_icon", inform: "가스밸브가 닫혔어요." }]],
    [
      "000000000",
      "010100011",
      [
        { icon: "aircon_icon", inform: "에어컨이 켜졌어요." },
        { icon: "light_icon", inform: "전등이 켜졌어요." },
        { icon: "window_icon", inform: "창문이 열렸어요." },
        { icon: "gasvalve_icon", inform: "가스밸브가 열렸어요." },
      ],
    ],
    ["000000000", "310100011", [{ icon: "3mode_icon", inform: "외출모드가 실행되었습니다." }]],
    ["100000000", "300000000", [{ icon: "3mode_icon", inform: "외출모드가 실행되었습니다." }]],
    ["000000000", "700000000", [{ icon: "7mode_icon", inform: "7번 모드가 실행되었습니다." }]],
    // Leaving a mode (back to manual 0) announces the appliances that changed, not a mode.
    ["310100000", "000100000", [{ icon: "aircon_icon", inform: "에어컨이 꺼졌어요." }]],
    // The same mode again is not a new mode; its appliance changes are announced.
    ["310000000", "310100000", [{ icon: "light_icon", inform: "전등이 켜졌어요." }]],
    // Levels alone (wind, brightness, colour, light mode) are not alarms.
    ["010100000", "019199900", []],
    ["009060210", "009060210", []],
  ];
  for (const [before, after, expected] of cases) {
    it(`${before} → ${after}: ${expected.map((e) => e.inform).join(" ") || "no alarm"}`, () => {
      assert.deepEqual(alarmsForChange(status(before), status(after), modeName), expected);
    });
  }

  it("announces nothing when there is no previous status", () => {
    assert.deepEqual(alarmsForChange(null, status("310100011"), modeName), []);
  });

  it("dates alarms on the Seoul wall clock the way the original did", () => {
    assert.equal(alarmDate(seoul(2026, 11, 27, 9, 5, 3)), "2026.11.27.9.5.3");
    assert.equal(alarmDate(seoul(2027, 1, 1, 0, 0, 0)), "2027.1.1.0.0.0");
  });

  it("keeps the original id prefix (10000000000 - epochSeconds) and sorts newest first", () => {
    const t = Date.UTC(2026, 10, 27, 0, 0, 0, 250);
    const id = alarmDocId(t, "e", 0);
    assert.ok(id.startsWith(`${10_000_000_000 - Math.floor(t / 1000)}-`), id);
    // A legacy id of the same second sorts with it, older seconds after, newer before.
    const legacySameSecond = String(10_000_000_000 - Math.floor(t / 1000));
    const legacyOlder = String(10_000_000_000 - Math.floor(t / 1000) + 1);
    const newer = alarmDocId(t + 1000, "f", 0);
    assert.deepEqual([legacyOlder, id, legacySameSecond, newer].sort(), [newer, legacySameSecond, id, legacyOlder]);
  });

  it("orders any two alarms by time, newest first, and never collides (property)", () => {
    const base = Date.UTC(2026, 0, 1);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 10 }),
        fc.integer({ min: 0, max: 10 ** 10 }),
        fc.string(),
        fc.string(),
        fc.nat(5),
        fc.nat(5),
        (a, b, ea, eb, ia, ib) => {
          const idA = alarmDocId(base + a, ea, ia);
          const idB = alarmDocId(base + b, eb, ib);
          if (a > b) assert.ok(idA < idB);
          if (a < b) assert.ok(idA > idB);
          if (ea !== eb || ia !== ib) assert.notEqual(idA, idB);
          else if (a === b) assert.equal(idA, idB);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it("trims to the newest 20 ids", () => {
    const ids = Array.from({ length: 25 }, (_, i) => alarmDocId(Date.UTC(2026, 0, 1, 0, i), "e", 0));
    const trimmed = alarmsToTrim(ids);
    assert.deepEqual(trimmed.sort(), ids.slice(0, 5).sort());
    assert.deepEqual(alarmsToTrim(ids.slice(0, ALARM_KEEP)), []);
  });

  it("keeps exactly the 20 newest under concurrent inserts, and never deletes a newer one", async () => {
    const store = new MemorySmarthomeStore();
    const start = Date.UTC(2026, 10, 27);
    const times = fc.sample(fc.integer({ min: 0, max: 3_600_000 }), { numRuns: 60, seed: 7 });
    const inserts = times.map((offset, i) =>
      deliver(store, `e${i}`, buildAlarms([{ icon: "light_icon", inform: "전등이 켜졌어요." }], start + offset, `e${i}`)),
    );
    const results = await Promise.all(inserts);
    const expected = times
      .map((offset, i) => alarmDocId(start + offset, `e${i}`, 0))
      .sort()
      .slice(0, ALARM_KEEP);
    assert.deepEqual([...store.alarms.keys()].sort(), expected);
    const deleted = results.flatMap((r) => r.trimmed);
    for (const id of deleted) assert.ok(!expected.includes(id), `deleted a kept alarm ${id}`);
  });

  it("applies an event once even when it is appended again (replay)", async () => {
    const store = new MemorySmarthomeStore();
    const alarms = buildAlarms([{ icon: "aircon_icon", inform: "에어컨이 켜졌어요." }], Date.UTC(2026, 10, 27), "k");
    const [first, second] = await Promise.all([deliver(store, "k", alarms), deliver(store, "k", alarms)]);
    assert.deepEqual([first?.duplicate, second?.duplicate].sort(), [false, true]);
    assert.equal(store.alarms.size, 1);
  });
});
