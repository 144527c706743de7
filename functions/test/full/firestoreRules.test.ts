import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  type RulesTestContext,
  type RulesTestEnvironment,
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
} from "@firebase/rules-unit-testing";
import { setLogLevel } from "firebase/firestore";
import { ModeDocSchema, ScheduleDocSchema } from "../../src/smarthome/documents";
import { WEEKDAY_SCHEDULE, withoutField } from "../support/scheduleDocs";

/**
 * firestore.rules against the Firestore emulator: each grant has a test that it allows what it should and denies
 * the nearest thing it should not. The backend writes through the Admin SDK (rules bypassed), so "backend only"
 * collections are checked by refusing every client identity.
 */
const rulesPath = path.resolve(__dirname, "..", "..", "..", "..", "firestore.rules");

const MODE = {
  modeNum: 2,
  modeName: "취침 모드",
  airconEnable: 1,
  airconWindPower: 3,
  lightEnable: 0,
  lightBrightness: 0,
  lightColor: 0,
  lightMode: 0,
  windowOpen: 0,
  gasValveEnable: 2,
};

const SCHEDULE = { ...WEEKDAY_SCHEDULE, activeDate: null };

/** Modes no writer may store: firestore.rules refuse them from members, ModeDocSchema from the backend. */
const MALFORMED_MODES: Record<string, unknown>[] = [
  { ...MODE, modeNum: 0 },
  { ...MODE, modeNum: 10 },
  { ...MODE, modeNum: "0" },
  { ...MODE, modeNum: "12" },
  { ...MODE, modeNum: 2.5 },
  { ...MODE, modeName: "" },
  { ...MODE, modeName: 7 },
  { ...MODE, airconEnable: 3 },
  { ...MODE, lightBrightness: 10 },
  { ...MODE, lightColor: -1 },
  { ...MODE, windowOpen: "true" },
  { ...MODE, gasValveEnable: "3" },
  { ...MODE, lightMode: "a" },
  { ...MODE, airconWindPower: null },
  { ...MODE, modeName: "x".repeat(101) },
  { ...MODE, extra: 1 },
  Object.fromEntries(Object.entries(MODE).filter(([k]) => k !== "lightMode")),
  { ...MODE, modeName: null },
];

/** Schedules no writer may store at `schedule_mode/${SCHEDULE.title}`: the rules and ScheduleDocSchema refuse them. */
const MALFORMED_SCHEDULES: Record<string, unknown>[] = [
  { ...SCHEDULE, startTime: "2400" },
  { ...SCHEDULE, startTime: "0760" },
  { ...SCHEDULE, startTime: "730" },
  { ...SCHEDULE, startTime: 730 },
  { ...SCHEDULE, daysOfWeek: [true, true, true, true, true, true] },
  { ...SCHEDULE, daysOfWeek: [true, true, true, true, true, true, true, true] },
  { ...SCHEDULE, daysOfWeek: [1, 1, 1, 1, 1, 1, 1] },
  { ...SCHEDULE, daysOfWeek: "1111111" },
  { ...SCHEDULE, enabled: "true" },
  { ...SCHEDULE, repeat: 1 },
  { ...SCHEDULE, repeat: false, activeDate: null },
  withoutField(SCHEDULE, "daysOfWeek"),
  { ...SCHEDULE, activeDate: "2026-13-01" },
  { ...SCHEDULE, activeDate: "tomorrow" },
  { ...SCHEDULE, modeNum: 10 },
  { ...SCHEDULE, modeNum: "x" },
  { ...SCHEDULE, lightEnable: 3 },
  { ...SCHEDULE, airconWindPower: "10" },
  withoutField(SCHEDULE, "gasValveEnable"),
  { ...SCHEDULE, lastRunMinute: 202611260730 },
  { ...SCHEDULE, extra: true },
  withoutField(SCHEDULE, "startTime"),
  withoutField(SCHEDULE, "enabled"),
  { ...SCHEDULE, daysOfWeek: null },
  { ...SCHEDULE, title: null },
  { ...SCHEDULE, name: 7 },
];

/** Documents as the apps and older data hold them, which every writer and reader must take. */
const WELL_FORMED: { path: string; data: Record<string, unknown>; schema: "mode" | "schedule" }[] = [
  { path: "modes/2", data: MODE, schema: "mode" },
  { path: "modes/3", data: { ...MODE, modeNum: 3, modeName: "   " }, schema: "mode" },
  { path: "modes/4", data: { ...MODE, modeNum: "4", airconEnable: true, windowOpen: false, lightColor: "7", gasValveEnable: "2" }, schema: "mode" },
  { path: `schedule_mode/${SCHEDULE.title}`, data: SCHEDULE, schema: "schedule" },
  { path: `schedule_mode/${SCHEDULE.title}`, data: { ...SCHEDULE, name: null }, schema: "schedule" },
  { path: "schedule_mode/once", data: { ...SCHEDULE, title: "once", repeat: false, daysOfWeek: null, activeDate: "2026-12-01" }, schema: "schedule" },
  { path: "schedule_mode/app", data: { title: "app", enabled: true, repeat: false, activeDate: "20261201", startTime: "0600", modeNum: "2" }, schema: "schedule" },
];

describe("firestore.rules (Firestore emulator)", function () {
  let env: RulesTestEnvironment;
  let member: RulesTestContext;
  let alice: RulesTestContext;
  let bob: RulesTestContext;
  let device: RulesTestContext;
  let anonymous: RulesTestContext;

  before(async function () {
    if (!process.env.FIRESTORE_EMULATOR_HOST) {
      console.log("skipped: FIRESTORE_EMULATOR_HOST is unset (run under `firebase emulators:exec` with the Firestore emulator)");
      this.skip();
    }
    // Every denied write is also logged by the client SDK as a stream error; the assertions already say it all.
    setLogLevel("error");
    env = await initializeTestEnvironment({
      projectId: "demo-wolley-rules",
      firestore: { rules: readFileSync(rulesPath, "utf8") },
    });
    member = env.authenticatedContext("member1", { member: true });
    alice = env.authenticatedContext("alice");
    bob = env.authenticatedContext("bob", { member: true });
    device = env.authenticatedContext("home-device", { device: true });
    anonymous = env.unauthenticatedContext();
  });

  beforeEach(async function () {
    if (!env) return;
    await env.clearFirestore();
    await env.withSecurityRulesDisabled(async (admin) => {
      const db = admin.firestore();
      await db.doc("installations/inst-alice").set({ uid: "alice", token: "fcm-alice", platform: "ios" });
      await db.doc("installations/inst-bob").set({ uid: "bob", token: "fcm-bob", platform: "android" });
      await db.doc("gpsUsers/alice/gpsDays/2026-11-26").set({ points: [] });
      await db.doc("gpsUsers/alice/places/home").set({ name: "집", category: "home", lat: 37.5, lng: 127, radiusMeters: 100 });
      await db.doc("gpsUsers/alice/weeklyStats/2026-W48").set({ hours: {} });
      await db.doc("push_runs/run-1").set({ kind: "saveLocation", sent: 10 });
      await db.doc("user_account/member1").set({ name: "Member" });
      await db.doc("user_account/alice").set({ name: "Alice" });
      await db.doc("modes/2").set(MODE);
      await db.doc(`schedule_mode/${SCHEDULE.title}`).set(SCHEDULE);
      await db.doc("appliance_alarm/a1").set({ icon: "aircon_icon", date: "2026-11-26 21:00", inform: "에어컨이 켜졌어요." });
    });
  });

  after(async () => {
    await env?.cleanup();
  });

  describe("installations", () => {
    it("the owner reads their installation and queries their own", async () => {
      await assertSucceeds(alice.firestore().doc("installations/inst-alice").get());
      await assertSucceeds(alice.firestore().collection("installations").where("uid", "==", "alice").get());
    });

    it("nobody reads another user's installations, lists them all, or writes any", async () => {
      await assertFails(alice.firestore().doc("installations/inst-bob").get());
      await assertFails(alice.firestore().collection("installations").get());
      await assertFails(anonymous.firestore().doc("installations/inst-alice").get());
      await assertFails(alice.firestore().doc("installations/inst-alice").set({ uid: "alice", token: "x" }));
      await assertFails(alice.firestore().doc("installations/new").set({ uid: "alice", token: "x" }));
    });
  });

  describe("gpsUsers/{uid}: GPS day buckets, places, weekly stats and badges", () => {
    it("the owner reads their own day buckets, places and weekly stats (badges live in them)", async () => {
      for (const at of ["gpsUsers/alice/gpsDays/2026-11-26", "gpsUsers/alice/places/home", "gpsUsers/alice/weeklyStats/2026-W48"]) {
        await assertSucceeds(alice.firestore().doc(at).get());
      }
      await assertSucceeds(alice.firestore().collection("gpsUsers/alice/weeklyStats").get());
    });

    it("other users, members and anonymous callers read none of it", async () => {
      for (const ctx of [bob, member, anonymous, device]) {
        await assertFails(ctx.firestore().doc("gpsUsers/alice/weeklyStats/2026-W48").get());
        await assertFails(ctx.firestore().collection("gpsUsers/alice/weeklyStats").get());
        await assertFails(ctx.firestore().doc("gpsUsers/alice/gpsDays/2026-11-26").get());
        await assertFails(ctx.firestore().collection("gpsUsers/alice/places").get());
      }
    });

    it("only the backend writes it, not even the owner", async () => {
      await assertFails(alice.firestore().doc("gpsUsers/alice/weeklyStats/2026-W48").set({ hours: {}, badges: ["fake"] }));
      await assertFails(alice.firestore().doc("gpsUsers/alice/gpsDays/2026-11-27").set({ points: [] }));
      await assertFails(alice.firestore().doc("gpsUsers/alice/weeklyStats/2026-W48").delete());
      await assertFails(alice.firestore().doc("gpsUsers/alice").set({ name: "a" }));
      await assertFails(alice.firestore().doc("gpsUsers/alice/places/work").set({ name: "w", category: "work", lat: 0, lng: 0, radiusMeters: 50 }));
      await assertFails(alice.firestore().doc("gpsUsers/alice/gpsDays/2026-11-26").delete());
    });
  });

  describe("push_runs", () => {
    it("no client reads or writes push run records", async () => {
      for (const ctx of [alice, member, device, anonymous]) {
        await assertFails(ctx.firestore().doc("push_runs/run-1").get());
        await assertFails(ctx.firestore().doc("push_runs/run-2").set({ kind: "x" }));
      }
    });
  });

  describe("user_account", () => {
    it("members read any account; a user reads their own", async () => {
      await assertSucceeds(member.firestore().doc("user_account/alice").get());
      await assertSucceeds(alice.firestore().doc("user_account/alice").get());
    });

    it("non-members do not read others' accounts and no client writes accounts", async () => {
      await assertFails(alice.firestore().doc("user_account/member1").get());
      await assertFails(anonymous.firestore().doc("user_account/alice").get());
      await assertFails(member.firestore().doc("user_account/member1").set({ name: "x" }));
      await assertFails(alice.firestore().doc("user_account/alice").set({ name: "x" }));
    });
  });

  describe("modes", () => {
    it("members read, create, update and delete well-formed modes", async () => {
      const db = member.firestore();
      await assertSucceeds(db.doc("modes/2").get());
      await assertSucceeds(db.collection("modes").get());
      await assertSucceeds(db.doc("modes/3").set({ ...MODE, modeNum: 3, modeName: "외출" }));
      await assertSucceeds(db.doc("modes/2").update({ airconWindPower: 9 }));
      // The apps store switches as booleans; devices and older builds send digit strings.
      await assertSucceeds(db.doc("modes/4").set({ ...MODE, modeNum: "4", airconEnable: true, windowOpen: false, lightColor: "7", gasValveEnable: "2" }));
      await assertSucceeds(db.doc("modes/3").delete());
    });

    it("non-members, devices and anonymous callers neither read nor write modes", async () => {
      for (const ctx of [alice, device, anonymous]) {
        await assertFails(ctx.firestore().doc("modes/2").get());
        await assertFails(ctx.firestore().doc("modes/4").set({ ...MODE, modeNum: 4 }));
        await assertFails(ctx.firestore().doc("modes/2").delete());
      }
    });

    it("members may not write malformed modes", async () => {
      for (const data of MALFORMED_MODES) {
        // At the id its modeNum asks for, so only the malformed field is at fault.
        const id = typeof data.modeNum === "number" || typeof data.modeNum === "string" ? String(data.modeNum) : "2";
        await assertFails(member.firestore().doc(`modes/${id}`).set(data));
      }
      await assertFails(member.firestore().doc("modes/2").update({ airconWindPower: 12 }));
    });
    it("keeps one document per mode: the id is the mode's number", async () => {
      const db = member.firestore();
      await assertSucceeds(db.doc("modes/5").set({ ...MODE, modeNum: 5 }));
      await assertSucceeds(db.doc("modes/6").set({ ...MODE, modeNum: "6" }));
      for (const id of ["0shadow", "2shadow", "02", "3", " 2", "two"]) {
        await assertFails(db.doc(`modes/${id}`).set({ ...MODE, gasValveEnable: 1 }));
      }
      await assertFails(db.doc("modes/2").update({ modeNum: 3 }));
      await assertFails(db.doc("modes/2").set({ ...MODE, modeNum: 7 }));
    });
  });

  describe("schedule_mode", () => {
    it("members read, create, update and delete well-formed schedules", async () => {
      const db = member.firestore();
      await assertSucceeds(db.doc(`schedule_mode/${SCHEDULE.title}`).get());
      await assertSucceeds(db.collection("schedule_mode").get());
      const once = { ...SCHEDULE, title: "once", repeat: false, activeDate: "2026-12-01", startTime: "2359", modeNum: 2 };
      await assertSucceeds(db.doc("schedule_mode/once").set(once));
      const noDate = withoutField(SCHEDULE, "activeDate");
      await assertSucceeds(db.doc("schedule_mode/repeat-no-date").set({ ...noDate, title: "repeat-no-date" }));
      await assertSucceeds(db.doc(`schedule_mode/${SCHEDULE.title}`).update({ enabled: false, startTime: "0000" }));
      // What the runner leaves behind must not block a member's later edit.
      await env.withSecurityRulesDisabled((admin) => admin.firestore().doc(`schedule_mode/${SCHEDULE.title}`).update({ lastRunMinute: "202611260730" }));
      await assertSucceeds(db.doc(`schedule_mode/${SCHEDULE.title}`).update({ startTime: "0745" }));
      const appShaped = { title: "app", enabled: true, repeat: false, activeDate: "20261201", startTime: "0600", modeNum: "2" };
      await assertSucceeds(db.doc("schedule_mode/app").set(appShaped));
      const dotted = { enabled: true, repeat: false, activeDate: "2026.12.01", startTime: "0600", modeNum: 0,
        airconEnable: true, airconWindPower: "3", lightEnable: false, lightBrightness: 0, lightColor: 0, lightMode: 0, windowOpen: 2, gasValveEnable: 0 };
      await assertSucceeds(db.doc("schedule_mode/dotted").set(dotted));
      await assertSucceeds(db.doc("schedule_mode/once").delete());
    });

    it("keeps the runner's fields backend-only: a member may keep or drop them, never set or change them", async () => {
      const db = member.firestore();
      const at = `schedule_mode/${SCHEDULE.title}`;
      for (const field of ["lastRunMinute", "expiredMinute"]) {
        await assertFails(db.doc("schedule_mode/fresh").set({ ...SCHEDULE, title: "fresh", [field]: "202611260730" }));
        await assertFails(db.doc(at).update({ [field]: "202611260730" }));
        await assertFails(db.doc(at).set({ ...SCHEDULE, [field]: "x".repeat(900_000) }));
      }
      await env.withSecurityRulesDisabled((admin) => admin.firestore().doc(at).update({ lastRunMinute: "202611260730", expiredMinute: "202611260731" }));
      await assertFails(db.doc(at).update({ lastRunMinute: "202612310730" }));
      await assertFails(db.doc(at).update({ expiredMinute: "202611260732" }));
      await assertSucceeds(db.doc(at).update({ name: "kept" }));
      await assertSucceeds(db.doc(at).set({ ...SCHEDULE, lastRunMinute: "202611260730" }));
      await assertSucceeds(db.doc(at).set(SCHEDULE));
      await assertFails(db.doc(at).update({ lastRunMinute: "202611260730" }));
    });

    it("takes only real calendar dates in one of the apps' spellings", async () => {
      const db = member.firestore();
      const once = (activeDate: string) => ({ ...SCHEDULE, title: "d", repeat: false, activeDate });
      for (const date of ["2028-02-29", "2000-02-29", "2026-12-31", "2026.04.30", "2026/01/31", "20260228"]) {
        await assertSucceeds(db.doc("schedule_mode/d").set(once(date)));
      }
      for (const date of ["2026-02-31", "2026-02-29", "2100-02-29", "2026-04-31", "2026-06-31", "2026-00-10", "2026-12-00", "2026-12.01",
        "2026.12-01", "2026-1201", "202612-01", "1999-12-01", "2026-12-01 ", "2026-12-1"]) {
        await assertFails(db.doc("schedule_mode/d").set(once(date)));
      }
    });

    it("bounds every string a member writes", async () => {
      const db = member.firestore();
      await assertSucceeds(db.doc(`schedule_mode/${SCHEDULE.title}`).set({ ...SCHEDULE, name: "n".repeat(100) }));
      await assertFails(db.doc(`schedule_mode/${SCHEDULE.title}`).set({ ...SCHEDULE, name: "n".repeat(101) }));
      await assertFails(db.doc(`schedule_mode/${SCHEDULE.title}`).set({ ...SCHEDULE, name: "n".repeat(900_000) }));
      const longTitle = "t".repeat(101);
      await assertFails(db.doc(`schedule_mode/${longTitle}`).set({ ...SCHEDULE, title: longTitle }));
      await assertFails(db.doc(`schedule_mode/${longTitle}`).set(withoutField(SCHEDULE, "title")));
      await assertSucceeds(db.doc(`schedule_mode/${"t".repeat(100)}`).set(withoutField(SCHEDULE, "title")));
      await assertFails(db.doc("modes/2").set({ ...MODE, modeName: "m".repeat(900_000) }));
    });

    it("non-members, devices and anonymous callers neither read nor write schedules", async () => {
      for (const ctx of [alice, device, anonymous]) {
        await assertFails(ctx.firestore().doc(`schedule_mode/${SCHEDULE.title}`).get());
        await assertFails(ctx.firestore().doc("schedule_mode/x").set({ ...SCHEDULE, title: "x" }));
        await assertFails(ctx.firestore().doc(`schedule_mode/${SCHEDULE.title}`).delete());
      }
    });

    it("members may not write malformed schedules", async () => {
      for (const data of [{ ...SCHEDULE, title: "other-title" }, ...MALFORMED_SCHEDULES]) {
        await assertFails(member.firestore().doc(`schedule_mode/${SCHEDULE.title}`).set(data));
      }
      await assertFails(member.firestore().doc(`schedule_mode/${SCHEDULE.title}`).update({ startTime: "9999" }));
    });
  });

  describe("one description of modes and schedules", () => {
    it("the rules and the backend's schemas take the same well-formed documents", async () => {
      for (const { path: at, data, schema } of WELL_FORMED) {
        await assertSucceeds(member.firestore().doc(at).set(data));
        const parsed = (schema === "mode" ? ModeDocSchema : ScheduleDocSchema).safeParse(data);
        assert.ok(parsed.success, `${at} ${JSON.stringify(data)}: ${parsed.error?.message}`);
      }
    });

    it("the backend's schemas refuse every document the rules refuse", () => {
      for (const data of MALFORMED_MODES) assert.equal(ModeDocSchema.safeParse(data).success, false, JSON.stringify(data));
      for (const data of MALFORMED_SCHEDULES) assert.equal(ScheduleDocSchema.safeParse(data).success, false, JSON.stringify(data));
    });
  });

  describe("appliance_alarm", () => {
    it("members read alarms", async () => {
      await assertSucceeds(member.firestore().doc("appliance_alarm/a1").get());
      await assertSucceeds(member.firestore().collection("appliance_alarm").orderBy("date", "desc").limit(20).get());
    });

    it("nobody but the backend writes alarms, and non-members do not read them", async () => {
      for (const ctx of [member, device, alice, anonymous]) {
        await assertFails(ctx.firestore().doc("appliance_alarm/a2").set({ icon: "x", date: "d", inform: "i" }));
        await assertFails(ctx.firestore().doc("appliance_alarm/a1").delete());
      }
      await assertFails(alice.firestore().doc("appliance_alarm/a1").get());
      await assertFails(anonymous.firestore().collection("appliance_alarm").get());
    });
  });

  describe("everything else", () => {
    it("is denied by default", async () => {
      await assertFails(member.firestore().doc("anything/x").get());
      await assertFails(member.firestore().doc("anything/x").set({ a: 1 }));
      await assertFails(member.firestore().doc("smarthome_state/weather").get());
    });

    it("no client reads or writes the once-only ledger, so none can mark an event or a schedule run done", async () => {
      await env.withSecurityRulesDisabled((admin) => admin.firestore().doc("processed_events/mqttInbound:1").set({ state: "done" }));
      for (const ctx of [alice, member, device, anonymous]) {
        await assertFails(ctx.firestore().doc("processed_events/mqttInbound:1").get());
        await assertFails(ctx.firestore().doc("processed_events/runSchedules:a:202611270730").set({ state: "done" }));
      }
    });

    it("grants nothing under users/{uid}: GPS data lives only under gpsUsers/{uid}", async () => {
      await env.withSecurityRulesDisabled((admin) => admin.firestore().doc("users/alice/weeklyStats/2026-W48").set({ hours: {} }));
      await assertFails(alice.firestore().doc("users/alice/weeklyStats/2026-W48").get());
      await assertFails(alice.firestore().collection("users/alice/weeklyStats").get());
      await assertFails(alice.firestore().doc("users/alice").get());
      await assertFails(alice.firestore().doc("users/alice/days/2026-11-26").set({ points: [] }));
    });
  });
});
