import { strict as assert } from "node:assert";
import { type Schedule, ScheduleSchema } from "../../src/bridge/commands";
import type { BridgeStore } from "../../src/bridge/store";
import { WEEKDAY_SCHEDULE } from "../support/scheduleDocs";

export interface BridgeStoreHarness {
  store: BridgeStore;
  /** `schedule_mode/{title}` as stored, or undefined when there is none. */
  readSchedule(title: string): Promise<Record<string, unknown> | undefined>;
  /** The current `smarthome/status`, or why it cannot be read here (no Realtime Database emulator). */
  status: { read(): Promise<unknown> } | { unavailable: string };
}

const schedule = (changes: Partial<Schedule>): Schedule => ScheduleSchema.parse({ ...WEEKDAY_SCHEDULE, ...changes });

/**
 * The contract every BridgeStore honours. The memory store runs it in the unit tier; the Firebase store runs the
 * same cases against the Firestore (and, when present, Realtime Database) emulator in the full tier.
 */
export function bridgeStoreContract(make: () => Promise<BridgeStoreHarness>): void {
  let h: BridgeStoreHarness;
  beforeEach(async () => {
    h = await make();
  });

  it("creates user_account on signup and overwrites the name on a repeated signup", async () => {
    assert.equal(await h.store.userName("u1"), undefined);
    await h.store.upsertUserAccount("u1", "Kim");
    assert.equal(await h.store.userName("u1"), "Kim");
    await h.store.upsertUserAccount("u1", "김철수");
    assert.equal(await h.store.userName("u1"), "김철수");
    assert.equal(await h.store.userName("u2"), undefined);
  });

  it("writes schedule_mode/{title} and replaces, not merges, a schedule with the same title", async () => {
    const once = schedule({ repeat: false, activeDate: "2026-11-27", modeNum: 3 });
    await h.store.putSchedule(once);
    assert.deepEqual(await h.readSchedule(once.title), once);
    const weekly = schedule({ startTime: "0745" });
    await h.store.putSchedule(weekly);
    const stored = await h.readSchedule(weekly.title);
    assert.deepEqual(stored, weekly);
    assert.equal(stored && "activeDate" in stored, false);
    await h.store.putSchedule(schedule({ title: "evening", startTime: "1900" }));
    assert.deepEqual(await h.readSchedule(weekly.title), weekly);
    assert.equal((await h.readSchedule("evening"))?.startTime, "1900");
  });

  it("sets smarthome/status to the latest status", async function () {
    const status = h.status;
    if ("unavailable" in status) {
      console.log(`skipped: ${status.unavailable}`);
      this.skip();
    }
    await h.store.setSmarthomeStatus("009060210");
    await h.store.setSmarthomeStatus("013271002");
    assert.equal(await status.read(), "013271002");
  });
}
