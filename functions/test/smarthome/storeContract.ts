import { strict as assert } from "node:assert";
import { ALARM_KEEP, alarmDocId, buildAlarms } from "../../src/smarthome/alarms";
import type { AppendAlarmsResult, SmarthomeStore } from "../../src/smarthome/store";

export interface StoreHarness {
  store: SmarthomeStore;
  /** Why the Realtime Database cases cannot run here (no RTDB emulator); undefined when they can. */
  rtdbUnavailable?: string;
  seedSchedule(id: string, data: Record<string, unknown>): Promise<void>;
  readSchedule(id: string): Promise<Record<string, unknown> | undefined>;
  alarmIds(): Promise<string[]>;
}

const WEATHER = { description: "맑음", icon: "01d", temp: 3.5, air_level: 2, update: "2026-11-27 09:00:00" };
const alarm = (ms: number, key: string) => buildAlarms([{ icon: "light_icon", inform: "전등이 켜졌어요." }], ms, key);

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
    assert.equal((await h.store.appendAlarms("a", alarm(t, "a"), ALARM_KEEP)).duplicate, false);
    assert.equal((await h.store.appendAlarms("a", alarm(t, "a"), ALARM_KEEP)).duplicate, true);
    assert.deepEqual(await h.alarmIds(), [alarmDocId(t, "a", 0)]);
    const more = Array.from({ length: 5 }, (_, i) => h.store.appendAlarms(`b${i}`, alarm(t + (i + 1) * 1000, `b${i}`), 3));
    await Promise.all(more);
    const expected = [1, 2, 3, 4, 5].map((s) => alarmDocId(t + s * 1000, `b${s - 1}`, 0)).sort().slice(0, 3);
    assert.deepEqual((await h.alarmIds()).sort(), expected);
  });

  it("keeps exactly the 20 newest when a burst of events appends at once", async function () {
    // The emulator serialises the burst on one document lock; this bounds the wait, it is no performance check.
    this.timeout(120_000);
    const t = Date.UTC(2026, 10, 27);
    const keys = Array.from({ length: 30 }, (_, i) => `burst${i}`);
    // A database may give up on a contended transaction (the emulator closes some); the trigger's event retry then
    // delivers the event again, which this bounded loop stands in for.
    const append = async (key: string, ms: number): Promise<AppendAlarmsResult> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await h.store.appendAlarms(key, alarm(ms, key), ALARM_KEEP);
        } catch (err) {
          if (attempt >= 5) throw err;
        }
      }
    };
    const results = await Promise.all(keys.map((key, i) => append(key, t + i * 1000)));
    const expected = keys.map((key, i) => alarmDocId(t + i * 1000, key, 0)).sort().slice(0, ALARM_KEEP);
    assert.deepEqual((await h.alarmIds()).sort(), expected);
    for (const id of results.flatMap((r) => r.trimmed)) assert.ok(!expected.includes(id), `deleted a kept alarm ${id}`);
    assert.equal((await h.store.appendAlarms("burst0", alarm(t, "burst0"), ALARM_KEEP)).duplicate, true);
  });

  it("claims a schedule run once per minute and not for a missing schedule", async () => {
    await h.seedSchedule("s", { enabled: true });
    const claims = await Promise.all([h.store.claimScheduleRun("s", "202611270730"), h.store.claimScheduleRun("s", "202611270730")]);
    assert.deepEqual(claims.sort(), [false, true]);
    assert.equal(await h.store.claimScheduleRun("s", "202611280730"), true);
    assert.equal((await h.readSchedule("s"))?.lastRunMinute, "202611280730");
    assert.equal(await h.store.claimScheduleRun("missing", "202611270730"), false);
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
