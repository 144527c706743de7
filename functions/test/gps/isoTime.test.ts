import { strict as assert } from "node:assert";
import fc from "fast-check";
import { parseIsoWithOffset } from "../../src/gps/isoTime";

describe("parseIsoWithOffset", () => {
  it("reads every offset form and both separators, dropping digits beyond milliseconds", () => {
    const t = Date.UTC(2026, 10, 16, 0, 30, 15, 123);
    for (const s of ["2026-11-16T09:30:15.123+09:00", "2026-11-16 09:30:15.123456+0900", "2026-11-16T09:30:15.1239+09", "2026-11-16T00:30:15.123Z"]) {
      assert.equal(parseIsoWithOffset(s), t, s);
    }
    assert.equal(parseIsoWithOffset("2026-11-16T09:30+09:00"), Date.UTC(2026, 10, 16, 0, 30));
  });

  it("tells a wrong shape from a date or time that does not exist", () => {
    for (const s of ["2026-11-16T09:30:00", "2026-11-16t09:30Z", "2026-11-16T09:30.5Z", "2026-11-16T09:30:00+9", "1700000000000", ""]) {
      assert.equal(parseIsoWithOffset(s), "format", s);
    }
    for (const s of ["2026-02-29T09:30:00Z", "2026-13-01T00:00Z", "2026-11-16T24:00:00Z", "2026-11-16T09:60Z", "2026-11-16T09:00+24:00"]) {
      assert.equal(parseIsoWithOffset(s), "date", s);
    }
  });

  it("agrees with Date.parse on every instant written in its common form", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.integer({ min: -14 * 60, max: 14 * 60 }), (ms, offsetMin) => {
        const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 23);
        const abs = Math.abs(offsetMin);
        const offset = `${offsetMin < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
        assert.equal(parseIsoWithOffset(`${local}${offset}`), ms);
        assert.equal(parseIsoWithOffset(`${local}${offset}`), Date.parse(`${local}${offset}`));
      }),
      { numRuns: 300 },
    );
  });
});
