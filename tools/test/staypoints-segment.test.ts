import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { joinParts, readPart, splitPoint } from "../src/staypoints-segment";
import { scenarioTrack } from "../../functions/test/gps/tracks";

const T0 = Date.UTC(2026, 10, 16, 0, 0, 0);
const OPTS = { distanceMeters: 100, minDurationMs: 5 * 60_000, travelSpeedMps: 1.4 };

function exportText(users: number, rowsPerUser: number, seed: number): { text: string; lineStarts: number[] } {
  let text = "user_id,tracked_at,lat,lng\n";
  const lineStarts: number[] = [];
  for (let u = 0; u < users; u++) {
    for (const p of scenarioTrack(seed + u, T0 + u * 1000, rowsPerUser).points.slice(0, rowsPerUser)) {
      lineStarts.push(text.length);
      text += `user-${u},${new Date(p.t).toISOString()},${p.lat.toFixed(7)},${p.lng.toFixed(7)}\n`;
    }
  }
  return { text, lineStarts };
}

describe("staypoints-segment", function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), "staypoints-segment-"));

  it("writes the same runs from two parts cut at any line as from the whole file", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 2 ** 30 }), fc.double({ min: 0, max: 1, noNaN: true }), (users, seed, at) => {
        const { text, lineStarts } = exportText(users, 400, seed);
        const file = path.join(dir, "points.csv");
        writeFileSync(file, text);
        const whole = readPart(file, 0, text.length, OPTS);
        assert.ok(whole.grouped);
        const cut = lineStarts[Math.min(lineStarts.length - 1, Math.floor(at * lineStarts.length))] as number;
        const first = readPart(file, 0, cut, OPTS);
        const second = readPart(file, cut, text.length, OPTS);
        assert.equal(first.lines + second.lines, whole.lines);
        const joined = joinParts(first, second, OPTS, { ns: 0n });
        assert.deepEqual(
          joined?.map((r) => [r.id, r.text]),
          whole.runs.map((r) => [r.id, r.text]),
        );
      }),
      { numRuns: 40 },
    );
  });

  it("refuses to join parts of a file whose users are not grouped or whose rows are not time-ordered", () => {
    const { text, lineStarts } = exportText(2, 300, 5);
    const lines = text.split("\n");
    const file = path.join(dir, "mixed.csv");
    // user-0's first row moved to the end: user-0 appears again after user-1.
    writeFileSync(file, [lines[0], ...lines.slice(2, -1), lines[1], ""].join("\n"));
    assert.equal(readPart(file, 0, text.length, OPTS).grouped, false);
    const cut = lineStarts[450] as number;
    const a = readPart(file, 0, cut, OPTS);
    const b = readPart(file, cut, text.length, OPTS);
    assert.ok(a.grouped && b.grouped);
    assert.equal(joinParts(a, b, OPTS, { ns: 0n }), undefined);
    // Two rows of one user out of time order.
    writeFileSync(file, [lines[0], lines[2], lines[1], ...lines.slice(3)].join("\n"));
    assert.equal(readPart(file, 0, text.length, OPTS).grouped, false);
  });

  it("cuts a file at a line start, at a change of user when one is near the middle", () => {
    const { text, lineStarts } = exportText(2, 3000, 9);
    const file = path.join(dir, "cut.csv");
    writeFileSync(file, text);
    const cut = splitPoint(file, text.length) as number;
    assert.ok(lineStarts.includes(cut));
    assert.equal(cut, lineStarts[3000]);
    writeFileSync(file, exportText(5, 3000, 9).text);
    const five = exportText(5, 3000, 9);
    assert.ok([2000, 3000].map((k) => five.lineStarts[k * 3]).includes(splitPoint(file, five.text.length)));
    const one = exportText(1, 3000, 9);
    writeFileSync(file, one.text);
    assert.ok(one.lineStarts.includes(splitPoint(file, one.text.length) as number));
  });
});
