import { strict as assert } from "node:assert";
import firebaseFunctionsTest from "firebase-functions-test";
import type { ScheduledEvent } from "firebase-functions/v2/scheduler";
import { setPushDeps } from "../../src/notifications/deps";
import { pathDailyPush } from "../../src/notifications/pathDailyPush";
import { pushFanoutTask } from "../../src/notifications/pushFanoutTask";
import { RunBusyError } from "../../src/notifications/runner";
import { saveLocationPush } from "../../src/notifications/saveLocationPush";
import { fakeToken } from "../support/fakePushTransport";
import { fillInstallations, pushHarness } from "../support/pushHarness";

/** What Cloud Scheduler's HTTP target turns into: the job name and the X-CloudScheduler-ScheduleTime header. */
function scheduledEvent(scheduleTime: string, jobName: string): ScheduledEvent {
  return { scheduleTime, jobName };
}

type TaskRequest = Parameters<typeof pushFanoutTask.run>[0];

describe("notifications triggers (fn.run)", () => {
  const fft = firebaseFunctionsTest();
  after(() => {
    fft.cleanup();
  });
  afterEach(() => {
    setPushDeps(undefined);
  });

  it("saveLocationPush sends the silent push to every installation once per scheduled time", async () => {
    const h = pushHarness({ answer: (t) => (t === fakeToken(3) ? "not-registered" : "success") }, Date.parse("2026-11-23T15:30:04Z"));
    const tokens = await fillInstallations(h.installations, 1203);
    setPushDeps(h.deps);
    const event = scheduledEvent("2026-11-23T15:30:00.212Z", "firebase-schedule-saveLocationPush-asia-northeast3");
    await saveLocationPush.run(event);
    assert.deepEqual([...h.transport.sentTokens()].sort(), tokens);
    assert.ok(h.transport.messages.every((m) => m.data.type === "saveLocation" && m.apns.headers["apns-push-type"] === "background"));
    assert.ok(h.transport.maxTokensPerCall <= 500);
    const record = await h.runs.get({ kind: "saveLocation", scheduledTime: "2026-11-23T15:30:00.000Z" });
    assert.deepEqual(
      { status: record?.status, attempted: record?.attempted, sent: record?.sent, pruned: record?.pruned, failed: record?.failed },
      { status: "done", attempted: 1203, sent: 1202, pruned: 1, failed: 0 },
    );
    // Cloud Scheduler retrying the same occurrence sends nothing.
    await saveLocationPush.run(event);
    assert.equal(h.transport.sentTokens().length, 1203);
  });

  it("pathDailyPush sends the visible weekly push", async () => {
    const h = pushHarness({}, Date.parse("2026-11-22T15:10:02Z"));
    await fillInstallations(h.installations, 3);
    setPushDeps(h.deps);
    await pathDailyPush.run(scheduledEvent("2026-11-22T15:10:00Z", "firebase-schedule-pathDailyPush-asia-northeast3"));
    assert.equal(h.transport.messages.length, 1);
    const [message] = h.transport.messages;
    assert.deepEqual(message?.notification, { title: "From Wolley 🗓", body: "일주일 동안의 기록을 확인해보세요!" });
    assert.deepEqual(message?.data, { type: "pathDaily" });
    assert.equal(message?.apns.payload.aps.threadId, "pathDaily");
    const record = await h.runs.get({ kind: "pathDaily", scheduledTime: "2026-11-22T15:10:00.000Z" });
    assert.equal(record?.sent, 3);
  });

  it("fails the invocation while another one holds the run, so the scheduler retries later", async () => {
    const h = pushHarness({}, Date.parse("2026-11-23T15:30:01Z"));
    await fillInstallations(h.installations, 2);
    await h.runs.begin({ kind: "saveLocation", scheduledTime: "2026-11-23T15:30:00.000Z" }, "elsewhere", h.clock.now, 60_000);
    setPushDeps(h.deps);
    await assert.rejects(Promise.resolve(saveLocationPush.run(scheduledEvent("2026-11-23T15:30:00Z", "job"))), RunBusyError);
    assert.equal(h.transport.calls, 0);
  });

  it("pushFanoutTask resumes a handed-off run from its cursor", async () => {
    const h = pushHarness({}, Date.parse("2026-11-23T15:38:00Z"));
    const tokens = await fillInstallations(h.installations, 10);
    const key = { kind: "saveLocation" as const, scheduledTime: "2026-11-23T15:30:00.000Z" };
    await h.runs.begin(key, "first", h.clock.now, 60_000);
    await h.runs.claim(key, "first", null, tokens[3] as string, { attempted: 4, sent: 4, pruned: 0, failed: 0, skippedRecent: 0, skippedInvalid: 0 }, 0);
    await h.runs.release(key, "first", { attempted: 4, sent: 4, pruned: 0, failed: 0, skippedRecent: 0, skippedInvalid: 0 }, true);
    setPushDeps(h.deps);
    await pushFanoutTask.run({ data: key } as TaskRequest);
    assert.deepEqual(h.transport.sentTokens(), tokens.slice(4));
    const record = await h.runs.get(key);
    assert.deepEqual({ status: record?.status, sent: record?.sent, handOffs: record?.handOffs }, { status: "done", sent: 10, handOffs: 1 });
  });

  it("pushFanoutTask drops a malformed task instead of retrying it forever", async () => {
    const h = pushHarness();
    setPushDeps(h.deps);
    await pushFanoutTask.run({ data: { kind: "spam", scheduledTime: "yesterday" } } as TaskRequest);
    assert.equal(h.transport.calls, 0);
  });
});
