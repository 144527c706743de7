import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { readGrouped } from "../src/staypoints-stream";
import { detectStayPoints } from "../../functions/src/gps/staypoints";
import { scenarioTrack } from "../../functions/test/gps/tracks";

const T0 = Date.UTC(2026, 10, 16, 0, 0, 0);
const OPTS = { distanceMeters: 100, minDurationMs: 5 * 60_000, travelSpeedMps: 1.4 };

function exportLines(users: number, rowsPerUser: number, seed: number): string[] {
  const lines = ["user_id,tracked_at,lat,lng"];
  for (let u = 0; u < users; u++) {
    for (const p of scenarioTrack(seed + u, T0 + u * 1000, rowsPerUser).points.slice(0, rowsPerUser)) {
      lines.push(`user-${u},${new Date(p.t).toISOString()},${p.lat.toFixed(7)},${p.lng.toFixed(7)}`);
    }
  }
  return lines;
}

describe("staypoints-stream", function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), "staypoints-stream-"));
  const file = path.join(dir, "points.csv");

  it("detects each user of a grouped export as its rows end, as the detector does on that user's rows", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 2 ** 30 }), (users, seed) => {
        const lines = exportLines(users, 400, seed);
        writeFileSync(file, `${lines.join("\n")}\n`);
        const streamed = readGrouped(file, OPTS, { ns: 0n });
        assert.ok(streamed.grouped);
        assert.deepEqual(
          streamed.runs.map((r) => r.id),
          Array.from({ length: users }, (_, u) => `user-${u}`),
        );
        streamed.runs.forEach((run, u) => {
          const rows = lines.filter((l) => l.startsWith(`user-${u},`)).map((l) => l.split(","));
          const points = rows.map(([, at, lat, lng]) => ({ t: Date.parse(at as string), lat: Number(lat), lng: Number(lng) }));
          const stays = detectStayPoints(points, OPTS);
          assert.equal(run.text.split("\n").length - 1, stays.length);
          stays.forEach((s, k) => assert.ok(run.text.split("\n")[k]?.startsWith(`user-${u},${new Date(s.startMs).toISOString()},`)));
        });
      }),
      { numRuns: 20 },
    );
  });

  it("stops at the first sign of a file not grouped by user or not time-ordered", () => {
    const lines = exportLines(2, 300, 5);
    // user-0's first row moved to the end: user-0 appears again after user-1.
    writeFileSync(file, `${[lines[0], ...lines.slice(2), lines[1]].join("\n")}\n`);
    assert.equal(readGrouped(file, OPTS, { ns: 0n }).grouped, false);
    // Two rows of one user out of time order.
    writeFileSync(file, `${[lines[0], lines[2], lines[1], ...lines.slice(3)].join("\n")}\n`);
    assert.equal(readGrouped(file, OPTS, { ns: 0n }).grouped, false);
    writeFileSync(file, `${lines.join("\n")}\n`);
    assert.equal(readGrouped(file, OPTS, { ns: 0n }).grouped, true);
  });
});
