import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { DocumentSnapshot } from "firebase-admin/firestore";
import firebaseFunctionsTest from "firebase-functions-test";
import nock from "nock";
import { DEFAULT_ALERT_WINDOW_MS, createAlerter } from "../../src/integrations/alerts";
import { MemoryAlertGate } from "../integrations/memoryAlertGate";
import { fetchWeather } from "../../src/integrations/weather";
import { alarmDocId } from "../../src/smarthome/alarms";
import { setSmarthomeDeps } from "../../src/smarthome/deps";
import { onHomeSensorWritten } from "../../src/smarthome/onHomeSensorWritten";
import { onOpenWeatherWritten } from "../../src/smarthome/onOpenWeatherWritten";
import { onScheduleModeWritten } from "../../src/smarthome/onScheduleModeWritten";
import { onSmarthomeStatusWritten } from "../../src/smarthome/onSmarthomeStatusWritten";
import { refreshWeather } from "../../src/smarthome/refreshWeather";
import { runSchedules } from "../../src/smarthome/runSchedules";
import { COMMAND_TOPIC } from "../../src/smarthome/scheduleRunner";
import { type TestDeps, seoul, testDeps } from "./fakes";
import { useNock } from "../support/nockSession";

const PROJECT = "demo-wolley";
const fft = firebaseFunctionsTest({ projectId: PROJECT, databaseURL: `https://${PROJECT}-default-rtdb.firebaseio.com` });
const DB_INSTANCE = `${PROJECT}-default-rtdb`;

/** The CloudEvent Eventarc delivers for an RTDB write (the SDK turns `data` into a Change of snapshots). */
type RtdbValue = string | number | boolean | object | null;

function rtdbEvent(ref: string, id: string, time: string, before: RtdbValue, after: RtdbValue) {
  return {
    specversion: "1.0" as const,
    id,
    source: `//firebasedatabase.googleapis.com/projects/_/locations/us-central1/instances/${DB_INSTANCE}`,
    type: "google.firebase.database.ref.v1.written",
    time,
    subject: `refs/${ref}`,
    instance: DB_INSTANCE,
    firebaseDatabaseHost: "firebaseio.com",
    ref,
    location: "us-central1",
    params: {},
    data: { before: fft.database.makeDataSnapshot(before, ref), after: fft.database.makeDataSnapshot(after, ref) },
  };
}

/** The CloudEvent for a Firestore document write on `schedule_mode/{id}`. */
function scheduleEvent(id: string, eventId: string, time: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  const document = `schedule_mode/${id}`;
  const snapshot = (data: Record<string, unknown> | null): DocumentSnapshot => fft.firestore.makeDocumentSnapshot(data ?? {}, document) as DocumentSnapshot;
  return {
    specversion: "1.0" as const,
    id: eventId,
    source: `//firestore.googleapis.com/projects/${PROJECT}/databases/(default)`,
    type: "google.cloud.firestore.document.v1.written",
    time,
    subject: `documents/${document}`,
    location: "asia-northeast3",
    project: PROJECT,
    database: "(default)",
    namespace: "(default)",
    document,
    params: { id },
    data: { before: snapshot(before), after: snapshot(after) },
  };
}

const scheduledEvent = (scheduleTime: string) => ({ scheduleTime, jobName: "firebase-schedule-runSchedules-asia-northeast3" });

const MODE_3 = {
  modeNum: 3,
  modeName: "외출모드",
  airconEnable: false,
  airconWindPower: 0,
  lightEnable: false,
  lightBrightness: 0,
  lightColor: 0,
  lightMode: 0,
  windowOpen: false,
  gasValveEnable: false,
};

describe("smarthome triggers (firebase-functions-test)", () => {
  let deps: TestDeps;
  beforeEach(() => {
    deps = testDeps();
    setSmarthomeDeps(deps);
  });
  afterEach(() => setSmarthomeDeps(undefined));
  after(() => fft.cleanup());

  describe("onSmarthomeStatusWritten", () => {
    const statusWritten = fft.wrap(onSmarthomeStatusWritten);
    const write = (id: string, time: string, before: RtdbValue, after: RtdbValue): Promise<void> => {
      deps.store.rtdb.status = after;
      return statusWritten(rtdbEvent("smarthome/status", id, time, before, after)) as Promise<void>;
    };

    it("writes one alarm per changed appliance with the apps' texts, icons, dates and ids, then the recommendation", async () => {
      const time = "2026-11-27T00:05:03.250Z";
      await write("evt-1", time, "000000000", "000000011");
      const key = "onSmarthomeStatusWritten:evt-1";
      const t = Date.parse(time);
      assert.deepEqual(Object.fromEntries(deps.store.alarms), {
        [alarmDocId(t, key, 0)]: { icon: "window_icon", date: "2026.11.27.9.5.3", inform: "창문이 열렸어요." },
        [alarmDocId(t, key, 1)]: { icon: "gasvalve_icon", date: "2026.11.27.9.5.3", inform: "가스밸브가 열렸어요." },
      });
      assert.equal(deps.store.rtdb.notification, "가스벨브가 열려있어요.");
    });

    it("writes no duplicate alarms when the event is delivered again", async () => {
      await write("evt-1", "2026-11-27T00:05:03Z", "000000000", "010000000");
      await write("evt-1", "2026-11-27T00:05:03Z", "000000000", "010000000");
      assert.equal(deps.store.alarms.size, 1);
      await write("evt-2", "2026-11-27T00:06:00Z", "010000000", "000000000");
      assert.deepEqual([...deps.store.alarms.values()].map((a) => a.inform).sort(), ["에어컨이 꺼졌어요.", "에어컨이 켜졌어요."]);
    });

    it("names the mode from `modes` when a mode starts", async () => {
      deps.store.modes.set("3", MODE_3);
      await write("evt-m", "2026-11-27T00:00:00Z", "010100000", "300000000");
      assert.deepEqual([...deps.store.alarms.values()], [{ icon: "3mode_icon", date: "2026.11.27.9.0.0", inform: "외출모드가 실행되었습니다." }]);
    });

    it("an invalid status writes no alarm, raises one alert (also when replayed) and leaves data untouched", async () => {
      const slack: string[] = [];
      const published: { topic: string }[] = [];
      deps.alerter = createAlerter({
        gate: new MemoryAlertGate(),
        slack: (text) => Promise.resolve(void slack.push(text)),
        outbound: { publish: (m) => Promise.resolve(void published.push(m)) },
        now: deps.now,
      }) as TestDeps["alerter"];
      deps.store.rtdb.notification = "비가오니 창문을 닫아주세요.";
      for (let i = 0; i < 3; i++) await write("evt-bad", "2026-11-27T00:00:00Z", "000000010", "00906021x");
      await write("evt-bad-2", "2026-11-27T00:00:01Z", "00906021x", "00906021x");
      assert.equal(deps.store.alarms.size, 0);
      assert.equal(slack.length, 1);
      assert.match(slack[0] ?? "", /position 8/);
      assert.deepEqual(published.map((p) => p.topic), ["webos/smarthome/error"]);
      assert.equal(deps.store.rtdb.notification, "비가오니 창문을 닫아주세요.");
      assert.equal(deps.store.notificationWrites, 0);
    });

    it("completes when Slack fails: the alert still reaches the device and the next event is processed", async () => {
      const published: { topic: string }[] = [];
      deps.alerter = createAlerter({
        gate: new MemoryAlertGate(),
        slack: () => Promise.reject(new Error("slack webhook answered 500")),
        outbound: { publish: (m) => Promise.resolve(void published.push(m)) },
        now: deps.now,
      }) as TestDeps["alerter"];
      await write("evt-bad", "2026-11-27T00:00:00Z", "000000000", "0000000011");
      assert.deepEqual(published.map((p) => p.topic), ["webos/smarthome/error"]);
      await write("evt-good", "2026-11-27T00:00:01Z", "000000000", "000000010");
      assert.deepEqual([...deps.store.alarms.values()].map((a) => a.inform), ["창문이 열렸어요."]);
    });

    it("keeps only the 20 newest alarms when many status events arrive at once", async () => {
      const events = Array.from({ length: 45 }, (_, i) => ({
        id: `evt-${i}`,
        time: new Date(Date.UTC(2026, 10, 27, 0, 0, i)).toISOString(),
        before: i % 2 === 0 ? "000000000" : "000100000",
        after: i % 2 === 0 ? "000100000" : "000000000",
      }));
      await Promise.all(events.map((e) => statusWritten(rtdbEvent("smarthome/status", e.id, e.time, e.before, e.after)) as Promise<void>));
      const expected = events
        .map((e) => alarmDocId(Date.parse(e.time), `onSmarthomeStatusWritten:${e.id}`, 0))
        .sort()
        .slice(0, 20);
      assert.deepEqual([...deps.store.alarms.keys()].sort(), expected);
    });
  });

  describe("recommendation inputs", () => {
    const homeWritten = fft.wrap(onHomeSensorWritten);
    const weatherWritten = fft.wrap(onOpenWeatherWritten);

    it("recomputes when the home sensor or the weather changes, and writes only on change", async () => {
      deps.store.rtdb.status = "000000010";
      const rainy = { temp: 24, humi: 60, rain: 1 };
      deps.store.rtdb.hometemp = rainy;
      await homeWritten(rtdbEvent("sensor/hometemp", "h1", "2026-11-27T00:00:00Z", null, rainy));
      assert.equal(deps.store.rtdb.notification, "비가오니 창문을 닫아주세요.");
      await homeWritten(rtdbEvent("sensor/hometemp", "h2", "2026-11-27T00:01:00Z", null, rainy));
      assert.equal(deps.store.notificationWrites, 1);

      deps.store.rtdb.hometemp = { temp: 24, humi: 60, rain: 0 };
      const snow = { description: "눈", icon: "13d", temp: -2, air_level: 1, update: "2026-11-27 09:00:00" };
      deps.store.rtdb.openweather = snow;
      await weatherWritten(rtdbEvent("sensor/openweather", "w1", "2026-11-27T00:02:00Z", null, snow));
      assert.equal(deps.store.rtdb.notification, "눈 소식이 있으니 창문을 닫아주세요.");

      deps.store.rtdb.status = "000000000";
      await weatherWritten(rtdbEvent("sensor/openweather", "w2", "2026-11-27T00:03:00Z", snow, snow));
      assert.equal(deps.store.rtdb.notification, "none");
      assert.equal(deps.store.notificationWrites, 3);
    });

    it("leaves the newest inputs' text when a recompute that read older inputs writes last", async () => {
      deps.store.rtdb.status = "000000010";
      const rainy = { temp: 24, humi: 60, rain: 1 };
      deps.store.rtdb.hometemp = rainy;
      const write = deps.store.writeNotification.bind(deps.store);
      let raced = false;
      deps.store.writeNotification = async (text) => {
        if (!raced) {
          raced = true;
          // Between this recompute's read and its write the window closes and that change's recompute completes.
          deps.store.rtdb.status = "000000000";
          await (homeWritten(rtdbEvent("sensor/hometemp", "h-newer", "2026-11-27T00:00:01Z", rainy, rainy)) as Promise<void>);
        }
        return write(text);
      };
      await homeWritten(rtdbEvent("sensor/hometemp", "h-older", "2026-11-27T00:00:00Z", null, rainy));
      assert.equal(deps.store.rtdb.notification, "none");
    });

    it("treats malformed sensor values as absent", async () => {
      deps.store.rtdb.status = "000000010";
      deps.store.rtdb.hometemp = "raining";
      deps.store.rtdb.openweather = { icon: 10, air_level: "bad" };
      await homeWritten(rtdbEvent("sensor/hometemp", "h1", "2026-11-27T00:00:00Z", null, "raining"));
      assert.equal(deps.store.rtdb.notification, "none");
    });
  });

  describe("runSchedules", () => {
    // Friday 2026-11-27 07:30 in Seoul.
    const DUE = new Date(seoul(2026, 11, 27, 7, 30)).toISOString();
    const manual = (extra: Record<string, unknown>) => ({
      enabled: true,
      repeat: true,
      daysOfWeek: [false, false, false, false, false, true, false],
      startTime: "0730",
      modeNum: 0,
      airconEnable: true,
      airconWindPower: 3,
      lightEnable: 2,
      lightBrightness: 5,
      lightColor: 0,
      lightMode: 0,
      windowOpen: 2,
      gasValveEnable: 2,
      ...extra,
    });

    it("sends due schedules as 9-digit commands, once per due minute even when retried or overlapping", async () => {
      deps.store.rtdb.status = "000000000";
      deps.store.schedules.set("a-morning", manual({ title: "morning" }));
      deps.store.schedules.set("b-other-day", manual({ daysOfWeek: Array(7).fill(false) }));
      deps.store.schedules.set("c-later", manual({ startTime: "0731" }));
      await Promise.all([runSchedules.run(scheduledEvent(DUE)), runSchedules.run(scheduledEvent(DUE))]);
      await runSchedules.run(scheduledEvent(DUE));
      assert.deepEqual(deps.outbound.messages, [{ topic: COMMAND_TOPIC, payload: "013250022", qos: 1 }]);
      assert.equal(deps.store.schedules.get("a-morning")?.lastRunMinute, "202611270730");
    });

    it("sends nothing when the command would change nothing (keep fields never count)", async () => {
      deps.store.rtdb.status = "013150010";
      deps.store.schedules.set("a", manual({}));
      await runSchedules.run(scheduledEvent(DUE));
      assert.deepEqual(deps.outbound.messages, []);
    });

    it("does not resend what an earlier schedule of the same minute already changed", async () => {
      deps.store.rtdb.status = "000000000";
      deps.store.schedules.set("a", manual({}));
      deps.store.schedules.set("b", manual({ lightEnable: 2 }));
      await runSchedules.run(scheduledEvent(DUE));
      assert.equal(deps.outbound.messages.length, 1);
    });

    it("uses the mode's fields for a mode schedule", async () => {
      deps.store.rtdb.status = "010100000";
      deps.store.modes.set("3", MODE_3);
      deps.store.schedules.set("leave", manual({ modeNum: 3 }));
      await runSchedules.run(scheduledEvent(DUE));
      assert.deepEqual(deps.outbound.messages.map((m) => m.payload), ["300000000"]);
    });

    it("ignores a mode document whose id is not its number, so no shadow of a mode is ever run", async () => {
      deps.store.rtdb.status = "010100000";
      deps.store.modes.set("0shadow", { ...MODE_3, gasValveEnable: true });
      deps.store.modes.set("3", MODE_3);
      deps.store.schedules.set("leave", manual({ modeNum: 3 }));
      await runSchedules.run(scheduledEvent(DUE));
      assert.deepEqual(deps.outbound.messages.map((m) => m.payload), ["300000000"]);
      deps.store.modes.delete("3");
      deps.store.schedules.set("leave", manual({ modeNum: 3 }));
      await runSchedules.run(scheduledEvent(new Date(Date.parse(DUE) + 7 * 24 * 60 * 60_000).toISOString()));
      assert.deepEqual(deps.outbound.messages.map((m) => m.payload), ["300000000"], "the shadow alone must not run");
    });

    it("runs a once-type schedule on its date and marks it for deletion; marks expired ones", async () => {
      deps.store.rtdb.status = "000000000";
      deps.store.schedules.set("once-now", manual({ repeat: false, activeDate: "2026-11-27", daysOfWeek: undefined }));
      deps.store.schedules.set("once-past", manual({ repeat: false, activeDate: "2026-11-26" }));
      deps.store.schedules.set("once-future", manual({ repeat: false, activeDate: "2026-11-28" }));
      await runSchedules.run(scheduledEvent(DUE));
      assert.deepEqual(deps.outbound.messages.map((m) => m.payload), ["013250022"]);
      assert.equal(deps.store.schedules.get("once-now")?.lastRunMinute, "202611270730");
      assert.equal(deps.store.schedules.get("once-past")?.expiredMinute, "202611270730");
      assert.equal(deps.store.schedules.get("once-future")?.expiredMinute, undefined);
    });

    it("reports an invalid schedule by document and field, skips it and runs the rest", async () => {
      deps.store.rtdb.status = "000000000";
      deps.store.schedules.set("broken", manual({ startTime: "7:30" }));
      deps.store.schedules.set("no-mode", manual({ modeNum: 8 }));
      deps.store.schedules.set("good", manual({}));
      await runSchedules.run(scheduledEvent(DUE));
      assert.equal(deps.outbound.messages.length, 1);
      assert.deepEqual(
        deps.alerter.alerts.map((a) => ({ key: a.key, details: a.details })),
        [
          { key: "schedule:invalid:broken:startTime", details: { document: "schedule_mode/broken", fields: ["startTime"] } },
          { key: "schedule:invalid:no-mode:modeNum", details: { document: "schedule_mode/no-mode", fields: ["modeNum"] } },
        ],
      );
    });

    it("alerts when a command cannot be sent and keeps going", async () => {
      deps.store.rtdb.status = "000000000";
      deps.store.schedules.set("a", manual({}));
      deps.outbound.failWith = new Error("pubsub unavailable");
      await runSchedules.run(scheduledEvent(DUE));
      assert.deepEqual(deps.alerter.alerts.map((a) => a.key), ["schedule:failed:a"]);
    });
  });

  describe("onScheduleModeWritten", () => {
    const scheduleWritten = fft.wrap(onScheduleModeWritten);
    const base = { enabled: true, repeat: false, activeDate: "2026-11-27", startTime: "0730", modeNum: 3 };
    const NOW = new Date(seoul(2026, 11, 27, 7, 30, 5)).toISOString();
    const deliver = async (id: string, data: Record<string, unknown> | null): Promise<void> => {
      if (data) deps.store.schedules.set(id, data);
      await (scheduleWritten(scheduleEvent(id, `fs-${id}`, NOW, null, data)) as Promise<void>);
    };

    it("deletes executed and expired once-type schedules and keeps the rest", async () => {
      await deliver("ran", { ...base, lastRunMinute: "202611270730" });
      await deliver("expired-marked", { ...base, activeDate: "2026-11-26", expiredMinute: "202611270000" });
      await deliver("written-in-the-past", { ...base, activeDate: "2026-11-20" });
      await deliver("pending", { ...base });
      await deliver("tomorrow", { ...base, activeDate: "2026-11-28" });
      await deliver("repeating", { ...base, repeat: true, daysOfWeek: Array(7).fill(true), lastRunMinute: "202611270730" });
      await deliver("invalid", { ...base, startTime: "late" });
      assert.deepEqual([...deps.store.schedules.keys()].sort(), ["invalid", "pending", "repeating", "tomorrow"]);
    });

    it("does not delete a schedule rewritten since the event (checked in the transaction)", async () => {
      const ran = { ...base, lastRunMinute: "202611270730" };
      deps.store.schedules.set("edited", { ...base, activeDate: "2026-12-01" });
      await (scheduleWritten(scheduleEvent("edited", "fs-e", NOW, null, ran)) as Promise<void>);
      assert.ok(deps.store.schedules.has("edited"));
    });

    it("ignores deletions", async () => {
      await (scheduleWritten(scheduleEvent("gone", "fs-g", NOW, { ...base }, null)) as Promise<void>);
      assert.equal(deps.store.schedules.size, 0);
    });
  });

  describe("refreshWeather (recorded OpenWeatherMap responses)", () => {
    const FIXTURES = path.resolve(__dirname, "..", "..", "..", "test", "fixtures", "openweathermap");
    const fixture = (name: string): nock.Body => JSON.parse(readFileSync(path.join(FIXTURES, name), "utf8")) as nock.Body;
    const API = "https://api.openweathermap.org";
    const weather = () => nock(API).get("/data/2.5/weather").query(true);
    const air = () => nock(API).get("/data/2.5/air_pollution").query(true);
    const tick = () => refreshWeather.run(scheduledEvent("2026-11-27T00:00:00Z"));

    useNock();
    beforeEach(() => {
      deps.fetchWeather = () => fetchWeather({ apiKey: "k", city: "Seoul", now: deps.now });
    });

    it("writes sensor/openweather, keeps it through an outage with one alert, and alerts again for the next outage", async () => {
      weather().reply(200, fixture("weather-seoul-rain.json"));
      air().reply(200, fixture("air-pollution-seoul.json"));
      await tick();
      const good = { description: "보통 비", icon: "10n", temp: 18.4, air_level: 3, update: "2026-11-27 09:30:00" };
      assert.deepEqual(deps.store.rtdb.openweather, good);

      weather().reply(401, fixture("error-401.json"));
      await tick();
      weather().reply(200, "<html>gateway</html>");
      await tick();
      weather().reply(200, fixture("weather-seoul-rain.json"));
      air().reply(200, { list: [] });
      await tick();
      assert.deepEqual(deps.store.rtdb.openweather, good);
      assert.equal(deps.alerter.alerts.length, 1);
      assert.equal(deps.alerter.alerts[0]?.key, `weather:outage:${deps.now()}`);
      assert.match(deps.alerter.alerts[0]?.message ?? "", /HTTP 401/);

      weather().reply(200, fixture("weather-seoul-rain.json"));
      air().reply(200, fixture("air-pollution-seoul.json"));
      await tick();
      assert.equal(deps.store.weatherOutage, null);
      weather().reply(500, "oops");
      await tick();
      assert.equal(deps.alerter.alerts.length, 2);
    });

    it("alerts every outage once through the rate-limited alerter, also one starting within the alert window", async () => {
      let now = Date.UTC(2026, 10, 27, 0, 0, 10);
      let up = false;
      const slack: string[] = [];
      deps.now = () => now;
      deps.alerter = createAlerter({
        gate: new MemoryAlertGate(),
        slack: (text) => Promise.resolve(void slack.push(text)),
        outbound: { publish: () => Promise.resolve() },
        now: () => now,
      }) as TestDeps["alerter"];
      const snapshot = { description: "맑음", icon: "01d", temp: 3, air_level: 1, update: "2026-11-27 09:15:00" };
      deps.fetchWeather = () => (up ? Promise.resolve(snapshot) : Promise.reject(new Error("timeout of 10000ms exceeded")));
      await tick();
      await tick();
      now += DEFAULT_ALERT_WINDOW_MS / 2;
      up = true;
      await tick();
      now += DEFAULT_ALERT_WINDOW_MS / 2 - 9_000;
      up = false;
      await tick();
      await tick();
      assert.equal(slack.length, 2);
      assert.ok(slack.every((text) => text.includes("OpenWeatherMap refresh failed")), slack.join("\n"));
    });
  });
});
