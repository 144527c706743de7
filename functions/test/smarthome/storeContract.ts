import { strict as assert } from "node:assert";
import { OnceBusyError, atMostOnce } from "../../src/core/once";
import { ALARM_KEEP, type Alarm, alarmDocId, buildAlarms } from "../../src/smarthome/alarms";
import { type AlarmWrite, writeAlarms } from "../../src/smarthome/statusChange";
import type { SmarthomeStore } from "../../src/smarthome/store";

export interface StoreHarness {
  store: SmarthomeStore;
  /** Why the Realtime Database cases cannot run here (no RTDB emulator); undefined when they can. */
  rtdbUnavailable?: string;
  seedSchedule(id: string, data: Record<string, unknown>): Promise<void>;
  readSchedule(id: string): Promise<Record<string, unknown> | undefined>;
  alarmIds(): Promise<string[]>;
  /** `appliance_alarm` ids as the apps read the collection: in document-id order. */
  readAlarmIds(): Promise<string[]>;
}

const WEATHER = { description: "맑음", icon: "01d", temp: 3.5, air_level: 2, update: "2026-11-27 09:00:00" };
const alarm = (ms: number, key: string) => buildAlarms([{ icon: "light_icon", inform: "전등이 켜졌어요." }], ms, key);
const TWO_ALARMS = [
  { icon: "light_icon", inform: "전등이 켜졌어요." },
  { icon: "window_icon", inform: "창문이 열렸어요." },
];

/**
 * One delivery of an event's alarms. A delivery that finds another one of the same event running is rejected and
 * redelivered by the trigger's event retry, which this loop stands in for.
 */
async function write(h: StoreHarness, key: string, alarms: readonly Alarm[], keep = ALARM_KEEP): Promise<AlarmWrite> {
  for (;;) {
    try {
      return await writeAlarms({ store: h.store, now: () => 100 }, key, alarms, keep);
    } catch (err) {
      if (!(err instanceof OnceBusyError)) throw err;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

/**
 * The contract every SmarthomeStore honours. The memory store runs it in the unit tier; the Firebase store runs
 * the same cases against the Firestore and RTDB emulators in the full tier.
 */
export function smarthomeStoreContract(make: () => Promise<StoreHarness>): void {
  let h: StoreHarness;
  beforeEach(async () => {
    h = await make();
  });

  function needsRtdb(this: Mocha.Context): void {
    if (h.rtdbUnavailable) {
      console.log(`skipped: ${h.rtdbUnavailable}`);
      this.skip();
    }
  }

  it("writes the recommendation only when it changes", async function () {
    needsRtdb.call(this);
    assert.equal(await h.store.writeNotification("none"), true);
    assert.equal(await h.store.writeNotification("none"), false);
    assert.equal(await h.store.writeNotification("가스벨브가 열려있어요."), true);
  });

  it("stores and reads back the weather snapshot", async function () {
    needsRtdb.call(this);
    await h.store.writeWeather(WEATHER);
    assert.deepEqual(await h.store.readWeather(), WEATHER);
  });

  it("appends alarms once per event key and keeps the newest", async () => {
    const t = Date.UTC(2026, 10, 27);
    assert.equal((await write(h, "a", alarm(t, "a"))).duplicate, false);
    assert.equal((await write(h, "a", alarm(t, "a"))).duplicate, true);
    assert.deepEqual(await h.alarmIds(), [alarmDocId(t, "a", 0)]);
    const more = Array.from({ length: 5 }, (_, i) => write(h, `b${i}`, alarm(t + (i + 1) * 1000, `b${i}`), 3));
    await Promise.all(more);
    const expected = [1, 2, 3, 4, 5].map((s) => alarmDocId(t + s * 1000, `b${s - 1}`, 0)).sort().slice(0, 3);
    assert.deepEqual((await h.alarmIds()).sort(), expected);
  });

  it("keeps exactly the 20 newest when a burst of events appends at once", async function () {
    // Bounds the wait for the emulator; it is no performance check.
    this.timeout(120_000);
    const t = Date.UTC(2026, 10, 27);
    const keys = Array.from({ length: 30 }, (_, i) => `burst${i}`);
    const results = await Promise.all(keys.map((key, i) => write(h, key, alarm(t + i * 1000, key))));
    const expected = keys.map((key, i) => alarmDocId(t + i * 1000, key, 0)).sort().slice(0, ALARM_KEEP);
    assert.deepEqual((await h.alarmIds()).sort(), expected);
    for (const id of results.flatMap((r) => r.trimmed)) assert.ok(!expected.includes(id), `deleted a kept alarm ${id}`);
    assert.equal((await write(h, "burst0", alarm(t, "burst0"))).duplicate, true);
  });

  it("a burst of status events and their replays loses no alarm, writes none twice, and reads back newest first", async function () {
    this.timeout(120_000);
    const t = Date.UTC(2026, 10, 27, 0, 0, 0, 500);
    // Three events share each millisecond, and each event has two alarms: the order must not depend on timing.
    const events = Array.from({ length: 24 }, (_, i) => {
      const key = `onSmarthomeStatusWritten:storm-${i}`;
      const ms = t + Math.floor(i / 3) * 1000;
      return { key, ms, alarms: buildAlarms(TWO_ALARMS, ms, key) };
    });
    const deliveries = [...events, ...events.filter((_, i) => i % 2 === 0), ...events.filter((_, i) => i % 2 === 1)];
    const results = await Promise.all(deliveries.map((e) => write(h, e.key, e.alarms, 100)));
    const all = events.flatMap((e) => e.alarms.map((a) => ({ id: a.id, ms: e.ms })));
    assert.deepEqual(results.flatMap((r) => r.written).sort(), all.map((a) => a.id).sort(), "every alarm written exactly once");
    assert.equal(results.filter((r) => r.duplicate).length, events.length, "each replay wrote nothing");
    const readOrder = [...all].sort((a, b) => b.ms - a.ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((a) => a.id);
    assert.deepEqual(await h.readAlarmIds(), readOrder);
    await Promise.all(events.map((e) => write(h, e.key, e.alarms, ALARM_KEEP)));
    assert.deepEqual(await h.readAlarmIds(), readOrder.slice(0, ALARM_KEEP));
  });

  it("marks a schedule run in the minute it ran, and not a missing schedule", async () => {
    await h.seedSchedule("s", { enabled: true });
    assert.equal(await h.store.markScheduleRun("s", "202611270730"), true);
    assert.equal(await h.store.markScheduleRun("s", "202611280730"), true);
    assert.equal((await h.readSchedule("s"))?.lastRunMinute, "202611280730");
    assert.equal(await h.store.markScheduleRun("missing", "202611270730"), false);
  });

  it("claims a schedule run once per minute through its processed-events ledger", async () => {
    const claim = (minute: string) =>
      atMostOnce(h.store.processed, `runSchedules:s:${minute}`, () => Promise.resolve(), { now: () => 100 }).then((r) => r.ran);
    const claims = await Promise.all([claim("202611270730"), claim("202611270730")]);
    assert.deepEqual(claims.sort(), [false, true]);
    assert.equal(await claim("202611280730"), true);
  });

  it("marks expiry, and deletes only while the predicate holds", async () => {
    await h.seedSchedule("s", { enabled: true, repeat: false });
    await h.store.markScheduleExpired("s", "202611270731");
    await h.store.markScheduleExpired("missing", "202611270731");
    assert.equal((await h.readSchedule("s"))?.expiredMinute, "202611270731");
    assert.equal(await h.store.deleteScheduleIf("s", () => false), false);
    assert.ok(await h.readSchedule("s"));
    assert.equal(await h.store.deleteScheduleIf("s", (d) => (d as { expiredMinute?: string }).expiredMinute === "202611270731"), true);
    assert.equal(await h.readSchedule("s"), undefined);
    assert.equal(await h.store.deleteScheduleIf("s", () => true), false);
  });

  it("reports only the transitions into and out of a weather outage", async () => {
    assert.equal(await h.store.endWeatherOutage(), false);
    assert.equal(await h.store.beginWeatherOutage(1, "401"), true);
    assert.equal(await h.store.beginWeatherOutage(2, "401"), false);
    assert.equal(await h.store.endWeatherOutage(), true);
    assert.equal(await h.store.endWeatherOutage(), false);
  });
}
