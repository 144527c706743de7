import { strict as assert } from "node:assert";
import { setTimeout as sleep } from "node:timers/promises";
import { getApps, initializeApp } from "firebase-admin/app";
import { firestore } from "../../src/core/admin";
import { lastFinishedWeek } from "../../src/gps/service";
import { mondayOfIsoWeek } from "../../src/gps/points";
import { WEEKDAY_SCHEDULE } from "../support/scheduleDocs";
import { FirestoreRunStore, PUSH_RUNS } from "../../src/notifications/firestoreStore";

/**
 * The deployed bundle (functions/lib) running in the Functions emulator against the Firestore, Pub/Sub and Auth
 * emulators: requests go over HTTP to the api, documents are written to Firestore and the emulator runs the
 * triggers, and scheduled functions are fired with the HTTP request Cloud Scheduler sends. Run under
 * `firebase emulators:exec` with functions, auth, firestore and pubsub (tier 5 of `npm test`).
 */
const PROJECT = process.env.GCLOUD_PROJECT ?? "demo-wolley";
const REGION = "asia-northeast3";

interface EmulatorInfo {
  host: string;
  port: number;
}

async function emulators(): Promise<Record<string, EmulatorInfo>> {
  const res = await fetch(`http://${process.env.FIREBASE_EMULATOR_HUB}/emulators`);
  return (await res.json()) as Record<string, EmulatorInfo>;
}

/** Polls `check` every 250 ms until it returns something, or fails after `timeoutMs`. */
async function eventually<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

describe("deployed functions in the Functions emulator (Firestore, Pub/Sub, Auth)", function () {
  this.timeout(120_000);
  let functions: string;
  let api: string;
  let auth: string;

  before(async function () {
    const missing = ["FIRESTORE_EMULATOR_HOST", "PUBSUB_EMULATOR_HOST", "FIREBASE_AUTH_EMULATOR_HOST", "FIREBASE_EMULATOR_HUB"].filter(
      (name) => !process.env[name],
    );
    if (missing.length > 0) {
      console.log(`skipped: ${missing.join(", ")} unset (run under firebase emulators:exec with functions, auth, firestore and pubsub)`);
      this.skip();
    }
    const running = await emulators();
    if (!running.functions) {
      console.log("skipped: the Functions emulator is not running");
      this.skip();
    }
    functions = `http://${running.functions.host}:${running.functions.port}`;
    api = `${functions}/${PROJECT}/${REGION}/api`;
    auth = `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}`;
    if (getApps().length === 0) initializeApp({ projectId: PROJECT });
  });

  async function signUp(): Promise<{ uid: string; idToken: string }> {
    const res = await fetch(`${auth}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=fake-api-key`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}@wolley.example`, password: "e2e-password", returnSecureToken: true }),
    });
    const json = (await res.json()) as { localId: string; idToken: string };
    assert.equal(res.status, 200);
    return { uid: json.localId, idToken: json.idToken };
  }

  /**
   * Fires a scheduled function as Cloud Scheduler does, with an HTTP request; the emulator serves it under its
   * trigger key `<name>-0` and never runs schedules by itself.
   */
  async function fireSchedule(name: string, scheduleTime?: string): Promise<Response> {
    const headers: Record<string, string> = scheduleTime ? { "X-CloudScheduler-ScheduleTime": scheduleTime } : {};
    return fetch(`${functions}/${PROJECT}/${REGION}/${name}-0`, { method: "POST", headers });
  }

  /** A morning at home and an afternoon at the office on `day` (Seoul), one fix a minute. */
  function dayOfFixes(day: string): { t: string; lat: number; lng: number }[] {
    const fixes = [];
    for (let minute = 9 * 60; minute < 17 * 60; minute += 1) {
      const atOffice = minute >= 13 * 60;
      const hh = String(Math.floor(minute / 60)).padStart(2, "0");
      const mm = String(minute % 60).padStart(2, "0");
      fixes.push({ t: `${day}T${hh}:${mm}:00+09:00`, lat: atOffice ? 37.5665 : 37.4979, lng: atOffice ? 126.978 : 127.0276 });
    }
    return fixes;
  }

  it("the api stores an uploaded day in Firestore and serves its daily path back", async () => {
    const user = await signUp();
    const headers = { authorization: `Bearer ${user.idToken}`, "content-type": "application/json" };
    const day = "2026-11-18";
    const upload = await fetch(`${api}/v1/gps-logs`, { method: "POST", headers, body: JSON.stringify({ points: dayOfFixes(day) }) });
    assert.equal(upload.status, 200, await upload.clone().text());
    assert.deepEqual(((await upload.json()) as { inserted: number; days: string[] }).days, [day]);
    const bucket = await firestore().collection("gpsUsers").doc(user.uid).collection("gpsDays").doc(day).get();
    assert.ok(bucket.exists, "the day bucket is in Firestore");

    const path = await fetch(`${api}/v1/paths/daily?date=${day}`, { headers });
    assert.equal(path.status, 200);
    const body = (await path.json()) as { date: string; stays: unknown[] };
    assert.equal(body.date, day);
    assert.equal(body.stays.length, 2, `two stays (home, office): ${JSON.stringify(body)}`);
  });

  it("onScheduleModeWritten deletes a once-type schedule whose date has passed", async () => {
    const doc = firestore().collection("schedule_mode").doc(`e2e-once-${Date.now()}`);
    await doc.set({
      ...WEEKDAY_SCHEDULE,
      title: doc.id,
      repeat: false,
      activeDate: "2026-01-05",
      daysOfWeek: [false, false, false, false, false, false, false],
    });
    await eventually("the trigger to delete the schedule", 60_000, async () => ((await doc.get()).exists ? undefined : true));
  });

  it("weeklyStats, fired on its schedule, stores the finished week of a user who uploaded in it", async () => {
    const user = await signUp();
    const week = lastFinishedWeek(Date.now());
    const monday = mondayOfIsoWeek(week)!;
    const upload = await fetch(`${api}/v1/gps-logs`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.idToken}`, "content-type": "application/json" },
      body: JSON.stringify({ points: dayOfFixes(monday) }),
    });
    assert.equal(upload.status, 200, await upload.clone().text());
    const stats = firestore().collection("gpsUsers").doc(user.uid).collection("weeklyStats").doc(week);
    await stats.delete();
    const fired = await fireSchedule("weeklyStats");
    assert.equal(fired.status, 200, await fired.text());
    const stored = await eventually(`weeklyStats/${week} for ${user.uid}`, 60_000, async () => {
      const snap = await stats.get();
      return snap.exists ? snap.data() : undefined;
    });
    assert.equal(stored.week, week);
  });

  it("saveLocationPush, fired twice for one scheduled minute, keeps one run record and sends again only after a refusal", async () => {
    // The current minute, so the run is not stale; the emulators have no FCM, so the send cannot succeed here, and
    // what matters is what the record says and that the Scheduler's retry of the same occurrence obeys it.
    const scheduleTime = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    await firestore().collection(PUSH_RUNS).doc(`saveLocation_${scheduleTime}`).delete();
    const runs = new FirestoreRunStore(firestore);
    const key = { kind: "saveLocation" as const, scheduledTime: scheduleTime };
    const first = await fireSchedule("saveLocationPush", scheduleTime);
    const before = await runs.get(key);
    assert.ok(before, `push_runs/saveLocation_${scheduleTime} written (function answered ${first.status})`);
    assert.ok(["sent", "failed", "unknown"].includes(String(before.status)), `settled, not left sending: ${JSON.stringify(before)}`);
    assert.equal(before.attempts, 1);
    assert.equal(first.status, before.status === "failed" ? 500 : 200, "only a refused send asks the scheduler to retry");

    await fireSchedule("saveLocationPush", scheduleTime);
    const after = await runs.get(key);
    assert.ok(after);
    assert.equal(after.attempts, before.status === "failed" ? 2 : 1, `a retry claims the run only after FCM refused it: ${JSON.stringify(after)}`);
  });
});
