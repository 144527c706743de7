import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseIsoWithOffset } from "../../functions/src/gps/isoTime";
import { detectStayPoints } from "../../functions/src/gps/staypoints";
import { makeTrack, scenarioTrack } from "../../functions/test/gps/tracks";

const cli = path.resolve(__dirname, "../src/staypoints-cli.js");
const T0 = Date.UTC(2026, 10, 16, 0, 0, 0);

function runCli(dir: string, csv: string, extra: string[] = []): { status: number | null; stdout: string; stderr: string; out: string } {
  const input = path.join(dir, "points.csv");
  const output = path.join(dir, "stays.csv");
  writeFileSync(input, csv);
  writeFileSync(output, "");
  const res = spawnSync(process.execPath, [cli, "--input", input, "--output", output, "--distance-m", "100", "--min-duration-min", "5", ...extra], {
    encoding: "utf8",
    timeout: 15_000,
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, out: readFileSync(output, "utf8") };
}

/** ISO-8601 in Seoul time with an explicit +09:00 offset, as the app's exports carry. */
function seoulIso(t: number): string {
  return `${new Date(t + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`;
}

describe("staypoints-cli", function () {
  this.timeout(20_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "staypoints-cli-"));
  });

  it("writes the stays of every user, time-ordered per user, and prints detect_ms", () => {
    const a = makeTrack({ seed: 1, startMs: T0, stays: [{ minutes: 30 }, { minutes: 45 }] });
    const b = makeTrack({ seed: 2, startMs: T0 + 3_600_000, stays: [{ minutes: 20 }, { minutes: 10 }, { minutes: 60 }] });
    const rows = [
      ...a.points.map((p) => `alice,${seoulIso(p.t)},${p.lat},${p.lng}`),
      ...b.points.map((p) => `"bob, jr",${new Date(p.t).toISOString()},${p.lat},${p.lng}`),
    ];
    // Shuffled input: the tool sorts per user.
    rows.reverse();
    const res = runCli(dir, `user_id,tracked_at,lat,lng\r\n${rows.join("\r\n")}\r\n`);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /^detect_ms=\d+(\.\d+)?\n$/);
    const lines = res.out.trim().split("\n");
    assert.equal(lines[0], "user_id,started_at,finished_at,lat,lng");
    const opts = { distanceMeters: 100, minDurationMs: 5 * 60_000 };
    const round = (pts: typeof a.points) => pts.map((p) => ({ t: p.t, lat: p.lat, lng: p.lng }));
    const expected = [
      ...detectStayPoints(round(a.points), opts).map((s) => ["alice", s]),
      ...detectStayPoints(round(b.points), opts).map((s) => ['"bob, jr"', s]),
    ].map(([id, s]) => {
      const stay = s as ReturnType<typeof detectStayPoints>[number];
      return `${id as string},${new Date(stay.startMs).toISOString()},${new Date(stay.endMs).toISOString()},${stay.lat.toFixed(7)},${stay.lng.toFixed(7)}`;
    });
    assert.deepEqual(lines.slice(1).sort(), expected.sort());
    assert.equal(expected.length, 5);
  });

  it("honours --travel-speed-mps", () => {
    // Three fixes over two minutes, the next 40 minutes later and 1 km away: a stay only if the walk leaves 3 minutes.
    const csv =
      "user_id,tracked_at,lat,lng\nu,2026-11-16T09:00:00+09:00,37.5,127\nu,2026-11-16T09:01:00+09:00,37.5,127\n" +
      "u,2026-11-16T09:02:00+09:00,37.5,127\nu,2026-11-16T09:42:00+09:00,37.509,127\n";
    assert.equal(runCli(dir, csv).out.trim().split("\n").length, 2);
    assert.equal(runCli(dir, csv, ["--travel-speed-mps", "0.4"]).out.trim().split("\n").length, 1);
  });

  it("writes only the header for an input with no rows", () => {
    const res = runCli(dir, "user_id,tracked_at,lat,lng\n");
    assert.equal(res.status, 0, res.stderr);
    assert.equal(res.out, "user_id,started_at,finished_at,lat,lng\n");
  });

  it("exits non-zero naming the line of a malformed row", () => {
    const good = "u,2026-11-16T09:00:00+09:00,37.5,127";
    const cases: [string, RegExp][] = [
      ["u,2026-11-16T09:00:00,37.5,127", /tracked_at/],
      ["u,2026-02-30T09:00:00+09:00,37.5,127", /tracked_at/],
      ["u,2026-11-16T09:00:00+09:00,97.5,127", /lat/],
      ["u,2026-11-16T09:00:00+09:00,37.5,east", /lng/],
      ["u,2026-11-16T09:00:00+09:00,37.5", /4 fields/],
      ['"u,2026-11-16T09:00:00+09:00,37.5,127', /unbalanced/],
      [",2026-11-16T09:00:00+09:00,37.5,127", /user_id/],
    ];
    for (const [row, why] of cases) {
      const res = runCli(dir, `user_id,tracked_at,lat,lng\n${good}\n${good}\n${row}\n${good}\n`);
      assert.equal(res.status, 1, row);
      assert.match(res.stderr, /points\.csv:4: /, row);
      assert.match(res.stderr, why, row);
    }
    const header = runCli(dir, "id,time,lat,lng\n");
    assert.equal(header.status, 1);
    assert.match(header.stderr, /points\.csv:1: expected header/);
  });

  it("streams a grouped export to the same stays as the same rows out of order, and names a bad row's line", () => {
    const rows: string[] = [];
    for (let u = 0; u < 3; u++) {
      for (const p of scenarioTrack(40 + u, T0 + u * 1000, 5_000).points.slice(0, 5_000)) rows.push(`user-${u},${seoulIso(p.t)},${p.lat.toFixed(7)},${p.lng.toFixed(7)}`);
    }
    const header = "user_id,tracked_at,lat,lng";
    const grouped = runCli(dir, `${header}\n${rows.join("\n")}\n`);
    assert.equal(grouped.status, 0, grouped.stderr);
    assert.ok(grouped.out.split("\n").length > 10);
    // The first row moved to the end: no longer grouped by user, so read whole and sorted; the same stays.
    const moved = runCli(dir, `${header}\n${[...rows.slice(1), rows[0]].join("\n")}\n`);
    assert.equal(moved.status, 0, moved.stderr);
    assert.equal(moved.out, grouped.out);
    const bad = rows.slice();
    bad[12_000] = "user-2,2026-11-16T09:00:00,37.5,127";
    const res = runCli(dir, `${header}\n${bad.join("\n")}\n`);
    assert.equal(res.status, 1);
    assert.match(res.stderr, /points\.csv:12002: .*tracked_at/);
  });

  it("exits 2 with usage on bad arguments", () => {
    const res = spawnSync(process.execPath, [cli, "--input", "x.csv", "--distance-m", "-3"], { encoding: "utf8", timeout: 15_000 });
    assert.equal(res.status, 2);
    assert.match(res.stderr, /usage: staypoints-cli/);
  });

  it("parses ISO-8601 offsets in every common form", () => {
    const t = Date.UTC(2026, 10, 16, 0, 0, 0);
    for (const s of ["2026-11-16T09:00:00+09:00", "2026-11-16T09:00:00+0900", "2026-11-16 09:00:00+09", "2026-11-16T00:00:00Z", "2026-11-16T09:00+09:00", "2026-11-16T09:00:00.000000+09:00"]) {
      assert.equal(parseIsoWithOffset(s), t, s);
    }
    assert.equal(parseIsoWithOffset("2026-11-16T09:00:00"), "format");
    assert.equal(parseIsoWithOffset("1700000000000"), "format");
  });
});
