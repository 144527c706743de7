import { strict as assert } from "node:assert";
import firebaseFunctionsTest from "firebase-functions-test";
import type { ScheduledEvent } from "firebase-functions/v2/scheduler";
import { createApiHandler } from "../../src/http/pipeline";
import { buildRoutes } from "../../src/api/routes";
import { setPushDeps } from "../../src/notifications/deps";
import { pathDailyPush } from "../../src/notifications/pathDailyPush";
import { RunRetryableError } from "../../src/notifications/runner";
import { saveLocationPush } from "../../src/notifications/saveLocationPush";
import { WAKEUP_TOPIC } from "../../src/notifications/topics";
import { FCM_ERRORS, FakeFcm, fakeToken } from "../support/fakeFcm";
import { bearer, fakeVerifier } from "../support/fakeVerifier";
import { serve } from "../support/http";
import { inMemoryApiDeps } from "../support/inMemoryApiDeps";
import { pushHarness } from "../support/pushHarness";

/** What Cloud Scheduler's HTTP target turns into: the job name and the X-CloudScheduler-ScheduleTime header. */
function scheduledEvent(scheduleTime: string, jobName: string): ScheduledEvent {
  return { scheduleTime, jobName };
}

const SLOT_MS = 30 * 60_000;

describe("notifications triggers (fn.run)", () => {
  const fft = firebaseFunctionsTest();
  after(() => {
    fft.cleanup();
  });
  afterEach(() => {
    setPushDeps(undefined);
  });

  it("saveLocationPush sends the silent push to the wake-up topic once per scheduled time", async () => {
    const h = pushHarness({}, Date.parse("2026-11-23T15:30:04Z"));
    const tokens = Array.from({ length: 1203 }, (_, i) => fakeToken(i));
    await h.fcm.subscribe(tokens, WAKEUP_TOPIC);
    setPushDeps(h.deps);
    const event = scheduledEvent("2026-11-23T15:30:00.212Z", "firebase-schedule-saveLocationPush-asia-northeast3");
    await saveLocationPush.run(event);
    assert.equal(h.fcm.sent.length, 1);
    const [message] = h.fcm.sent;
    assert.deepEqual({ topic: message?.topic, data: message?.data, pushType: message?.apns.headers["apns-push-type"] }, { topic: WAKEUP_TOPIC, data: { type: "saveLocation" }, pushType: "background" });
    assert.ok(tokens.every((token) => h.fcm.received.get(token)?.length === 1));
    assert.equal((await h.runs.get({ kind: "saveLocation", scheduledTime: "2026-11-23T15:30:00.000Z" }))?.status, "sent");
    // Cloud Scheduler retrying the same occurrence sends nothing.
    await saveLocationPush.run(event);
    assert.equal(h.fcm.sendCalls, 1);
  });

  it("pathDailyPush sends the visible weekly push", async () => {
    const h = pushHarness({}, Date.parse("2026-11-22T15:10:02Z"));
    setPushDeps(h.deps);
    await pathDailyPush.run(scheduledEvent("2026-11-22T15:10:00Z", "firebase-schedule-pathDailyPush-asia-northeast3"));
    assert.equal(h.fcm.sent.length, 1);
    const [message] = h.fcm.sent;
    assert.deepEqual(message?.notification, { title: "From Wolley 🗓", body: "일주일 동안의 기록을 확인해보세요!" });
    assert.deepEqual(message?.data, { type: "pathDaily" });
    assert.equal(message?.apns.payload.aps.threadId, "pathDaily");
    assert.equal((await h.runs.get({ kind: "pathDaily", scheduledTime: "2026-11-22T15:10:00.000Z" }))?.status, "sent");
  });

  it("fails the invocation while another one holds the run, so the scheduler retries later", async () => {
    const h = pushHarness({}, Date.parse("2026-11-23T15:30:01Z"));
    await h.runs.claim({ kind: "saveLocation", scheduledTime: "2026-11-23T15:30:00.000Z" }, { owner: "elsewhere", nowMs: h.clock.now, leaseMs: 60_000, staleAtMs: Infinity });
    setPushDeps(h.deps);
    await assert.rejects(Promise.resolve(saveLocationPush.run(scheduledEvent("2026-11-23T15:30:00Z", "job"))), RunRetryableError);
    assert.equal(h.fcm.sendCalls, 0);
  });

  it("fails the invocation when FCM refused the message, and the scheduler's retry sends it", async () => {
    const h = pushHarness({ failSend: (i) => (i < 5 ? FCM_ERRORS.internal() : undefined) }, Date.parse("2026-11-23T15:30:01Z"));
    setPushDeps(h.deps);
    const event = scheduledEvent("2026-11-23T15:30:00Z", "job");
    await assert.rejects(Promise.resolve(saveLocationPush.run(event)), RunRetryableError);
    await saveLocationPush.run(event);
    assert.equal(h.fcm.sent.length, 1);
  });

  it("wakes a device that records a fix only when pushed at every 30-minute slot, though it uploads every fix", async () => {
    const fcm = new FakeFcm();
    const start = Date.parse("2026-11-23T15:00:00.000Z");
    const h = pushHarness({}, start, fcm);
    const api = inMemoryApiDeps({ now: () => h.clock.now, fcm });
    const server = await serve(createApiHandler({ verifier: fakeVerifier, routes: buildRoutes(api.deps), corsOrigins: () => [] }));
    const call = (method: string, path: string, body: unknown) =>
      fetch(`${server.url}${path}`, { method, headers: { authorization: bearer("alice"), "content-type": "application/json" }, body: JSON.stringify(body) });
    try {
      const token = fakeToken(42);
      assert.equal((await call("PUT", "/v1/installations", { installationId: "fid_alice_phone", fcmToken: token, platform: "ios" })).status, 201);
      // The device at rest: it takes a fix when (and only when) a saveLocation push wakes it, and uploads it at once.
      const fixes: number[] = [];
      const uploads: Promise<Response>[] = [];
      fcm.onDelivery((to, message) => {
        if (to !== token || message.data.type !== "saveLocation") return;
        fixes.push(h.clock.now);
        uploads.push(call("POST", "/v1/gps-logs", { points: [{ t: h.clock.now, lat: 37.5665, lng: 126.978 }] }));
      });
      setPushDeps(h.deps);
      const slots = 48;
      for (let slot = 0; slot < slots; slot++) {
        const scheduled = start + slot * SLOT_MS;
        h.clock.now = scheduled + 3_000;
        await saveLocationPush.run(scheduledEvent(new Date(scheduled).toISOString(), "firebase-schedule-saveLocationPush-asia-northeast3"));
        for (const upload of uploads.splice(0)) assert.equal((await upload).status, 200);
      }
      assert.equal(fixes.length, slots, "one fix per slot");
      assert.deepEqual(
        fixes.slice(1).map((t, i) => t - (fixes[i] as number)),
        Array.from({ length: slots - 1 }, () => SLOT_MS),
        "fixes exactly 30 minutes apart",
      );
    } finally {
      await server.close();
    }
  });
});
