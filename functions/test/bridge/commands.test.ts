import { strict as assert } from "node:assert";
import fc from "fast-check";
import { ScheduleSchema, decide, statusProblem, warningPayload } from "../../src/bridge/commands";
import { ScheduleDocSchema } from "../../src/smarthome/documents";
import { WEEKDAY_SCHEDULE } from "../support/scheduleDocs";

const schedule = WEEKDAY_SCHEDULE;

const cmd = (body: Record<string, unknown>) => decide("webos/server", JSON.stringify(body));

describe("bridge commands", () => {
  it("routes signup, signin and add_schedule", () => {
    assert.deepEqual(cmd({ Producer: "android", command: "signup", UID: "u1", name: "Kim" }), { kind: "signup", producer: "android", uid: "u1", name: "Kim" });
    assert.deepEqual(cmd({ Producer: "car", command: "signin", UID: "u1" }), { kind: "signin", producer: "car", uid: "u1" });
    assert.deepEqual(cmd({ Producer: "android", command: "add_schedule", schedule }), { kind: "add_schedule", producer: "android", schedule });
  });

  it("rejects unknown commands, naming the producer so it can be answered", () => {
    const d = cmd({ Producer: "android", command: "dance" });
    assert.equal(d.kind, "reject");
    assert.equal(d.kind === "reject" && d.producer, "android");
    assert.equal(d.kind === "reject" && d.reason, "unknown command");
  });

  it("rejects malformed commands with the field at fault", () => {
    const d = cmd({ Producer: "android", command: "signup", UID: "u1" });
    assert.ok(d.kind === "reject" && d.producer === "android" && d.details?.includes("name"), JSON.stringify(d));
    const bad = cmd({ Producer: "android", command: "add_schedule", schedule: { ...schedule, startTime: "2460" } });
    assert.ok(bad.kind === "reject" && bad.details?.includes("startTime"), JSON.stringify(bad));
  });

  it("rejects payloads without a known producer and cannot answer them", () => {
    for (const payload of ["", "not json", "[]", "null", '{"command":"signin"}', '{"Producer":"toaster","command":"signin"}']) {
      const d = decide("webos/server", payload);
      assert.ok(d.kind === "reject" && d.producer === undefined, payload);
    }
  });

  it("needs activeDate for once-type schedules and refuses titles that are not document ids", () => {
    assert.equal(ScheduleSchema.safeParse({ ...schedule, repeat: false }).success, false);
    assert.equal(ScheduleSchema.safeParse({ ...schedule, repeat: false, activeDate: "2026-11-27" }).success, true);
    for (const title of ["a/b", ".", "..", "__x__", ""]) assert.equal(ScheduleSchema.safeParse({ ...schedule, title }).success, false, title);
    assert.equal(ScheduleSchema.safeParse({ ...schedule, extra: 1 }).success, false);
  });

  it("refuses an add_schedule the schedule_mode schema refuses: impossible dates, mixed separators, runner fields, unbounded strings", () => {
    const refused = (changes: Record<string, unknown>, field: string) => {
      const d = cmd({ Producer: "android", command: "add_schedule", schedule: { ...schedule, ...changes } });
      assert.ok(d.kind === "reject" && d.reason === "malformed add_schedule" && d.details?.includes(field), `${JSON.stringify(changes).slice(0, 80)}: ${JSON.stringify(d).slice(0, 300)}`);
    };
    refused({ repeat: false, activeDate: "2026-02-31" }, "activeDate");
    refused({ repeat: false, activeDate: "2026-02-29" }, "activeDate");
    refused({ repeat: false, activeDate: "2026-04-31" }, "activeDate");
    refused({ repeat: false, activeDate: "2026-12.01" }, "activeDate");
    refused({ repeat: false, activeDate: "2026/12.01" }, "activeDate");
    refused({ repeat: false, activeDate: "1926-12-01" }, "activeDate");
    refused({ lastRunMinute: "202611270730" }, "lastRunMinute");
    refused({ expiredMinute: "202611270730" }, "expiredMinute");
    refused({ name: "x".repeat(101) }, "name");
    refused({ title: "t".repeat(101) }, "title");
    for (const activeDate of ["2028-02-29", "2026.12.01", "2026/12/01", "20261201"]) {
      assert.equal(cmd({ Producer: "android", command: "add_schedule", schedule: { ...schedule, repeat: false, activeDate } }).kind, "add_schedule", activeDate);
    }
  });

  it("stores schedules the smart-home schedule runner reads back as valid", () => {
    for (const s of [schedule, { ...schedule, repeat: false, activeDate: "2026-11-27", modeNum: 3 }]) {
      const stored = ScheduleSchema.parse(s);
      const read = ScheduleDocSchema.safeParse(stored);
      assert.ok(read.success, JSON.stringify(read.error?.issues));
    }
  });

  it("accepts exactly the valid 9-digit status reports on data/smarthome", () => {
    assert.deepEqual(decide("data/smarthome", "009060210"), { kind: "status", status: "009060210" });
    for (const bad of ["00906021", "0090602100", "00906021x", "029060210", " 09060210"]) {
      const d = decide("data/smarthome", bad);
      assert.ok(d.kind === "reject" && d.producer === "smarthome", bad);
    }
  });

  it("accepts a status report iff it is 9 digits with switches 0/1 (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (s) => {
        const valid = /^[0-9]{9}$/.test(s) && [1, 3, 7, 8].every((i) => s[i] === "0" || s[i] === "1");
        assert.equal(statusProblem(s) === undefined, valid);
        assert.equal(decide("data/smarthome", s).kind, valid ? "status" : "reject");
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws on arbitrary input, and every rejection serialises to a JSON warning", () => {
    fc.assert(
      fc.property(fc.constantFrom("webos/server", "data/smarthome", "other/topic"), fc.oneof(fc.string(), fc.json()), (topic, payload) => {
        const d = decide(topic, payload);
        if (d.kind === "reject") assert.equal(typeof JSON.parse(warningPayload(d.reason, d.details)), "object");
      }),
      { numRuns: 1000 },
    );
  });
});
