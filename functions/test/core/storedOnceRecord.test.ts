import assert from "node:assert/strict";
import { storedOnceRecord } from "../../src/core/firestoreOnce";

describe("stored once-ledger records", () => {
  it("reads a processed_events marker written before the ledger as done", () => {
    const at = Date.UTC(2026, 10, 30);
    assert.deepEqual(storedOnceRecord.parse({ at, expireAt: new Date(at + 1) }), {
      state: "done", owner: null, leaseUntil: 0, attempts: 1, startedAt: at, finishedAt: at, outcome: "done", detail: null,
    });
  });

  it("reads push_runs records written before the ledger by their status", () => {
    const base = { kind: "saveLocation", scheduledTime: "2026-11-30T00:00:00Z", owner: null, leaseUntil: 0, attempts: 1, startedAt: 5, finishedAt: 6 };
    const closed = { owner: null, leaseUntil: 0, attempts: 1, startedAt: 5, finishedAt: 6 };
    const read = (status: string, messageId: string | null, error: string | null) => storedOnceRecord.parse({ ...base, status, messageId, error });
    assert.deepEqual(read("sent", "projects/p/messages/1", null), { ...closed, state: "done", outcome: "sent", detail: "projects/p/messages/1" });
    assert.deepEqual(read("failed", null, "messaging/internal-error"), { ...closed, state: "open", outcome: "failed", detail: "messaging/internal-error" });
    assert.deepEqual(read("unknown", null, "app/invalid-credential"), { ...closed, state: "done", outcome: "unknown", detail: "app/invalid-credential" });
    assert.deepEqual(read("expired", null, null), { ...closed, state: "done", outcome: "expired", detail: null });
    const sending = storedOnceRecord.parse({ ...base, owner: "o", leaseUntil: 9, finishedAt: null, status: "sending", messageId: null, error: null });
    assert.deepEqual(sending, { owner: "o", leaseUntil: 9, attempts: 1, startedAt: 5, finishedAt: null, state: "running", outcome: null, detail: null });
  });

  it("refuses a record of neither shape", () => {
    assert.throws(() => storedOnceRecord.parse({ state: "maybe" }));
  });
});
