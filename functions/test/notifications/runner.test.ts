import { strict as assert } from "node:assert";
import fc from "fast-check";
import { scheduledMinute } from "../../src/notifications/runner";

describe("notifications/runner", () => {
  it("keys a run by the scheduled minute, whatever the header's precision", () => {
    assert.equal(scheduledMinute("2026-11-23T15:30:00Z"), "2026-11-23T15:30:00.000Z");
    assert.equal(scheduledMinute("2026-11-23T15:30:59.999Z"), "2026-11-23T15:30:00.000Z");
    assert.equal(scheduledMinute("2026-11-24T00:30:00+09:00"), "2026-11-23T15:30:00.000Z");
    assert.throws(() => scheduledMinute("yesterday"), RangeError);
  });

  it("is idempotent and never moves a time forward (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        const minute = scheduledMinute(new Date(ms).toISOString());
        assert.equal(scheduledMinute(minute), minute);
        assert.ok(ms - Date.parse(minute) >= 0 && ms - Date.parse(minute) < 60_000);
      }),
    );
  });
});
