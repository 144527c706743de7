/**
 * The stay-point CLI as a whole process (start-up, reading and parsing, grouping, detection, writing) on a
 * 1,000,000-row export, against Node processes that only read the same file and count its lines, in the same run: the
 * tight one (1 MiB chunks, `indexOf`) the target is set against, and the one the Node documentation shows (`readline`).
 * The export is what the app's would be: 10 users grouped, time-ordered, ISO-8601 with +09:00, coordinates to 1e-7°
 * (test/gps/tracks.ts `scenarioTrack`, every failure pattern). Each runs under GNU time (CPU time, peak RSS); best of
 * 5 alternating runs by wall time.
 * Usage: npm run bench -- staypoints-cli
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { scenarioTrack } from "../../functions/test/gps/tracks";

const USERS = 10;
const ROWS_PER_USER = 100_000;
const RUNS = 5;
const cli = path.resolve(__dirname, "../src/staypoints-cli.js");

/** The baseline: stream the file in 1 MiB chunks and count newlines; nothing a reader could skip. */
const COUNT_LINES = `
const fs = require("node:fs");
const fd = fs.openSync(process.argv[1], "r");
const chunk = Buffer.allocUnsafe(1 << 20);
let lines = 0;
for (let n = fs.readSync(fd, chunk); n > 0; n = fs.readSync(fd, chunk)) {
  for (let i = chunk.indexOf(10); i >= 0 && i < n; i = chunk.indexOf(10, i + 1)) lines++;
}
console.log("lines=" + lines);
`;

/** What a user counting lines would write from the Node documentation's example. */
const READLINE_LINES = `
const fs = require("node:fs");
const readline = require("node:readline");
(async () => {
  let lines = 0;
  for await (const _ of readline.createInterface({ input: fs.createReadStream(process.argv[1]), crlfDelay: Infinity })) lines++;
  console.log("lines=" + lines);
})();
`;

function seoulIso(t: number): string {
  return `${new Date(t + 9 * 3_600_000).toISOString().slice(0, 23)}+09:00`;
}

function writeExport(file: string): number {
  const parts: string[] = ["user_id,tracked_at,lat,lng\n"];
  let rows = 0;
  for (let u = 0; u < USERS; u++) {
    const { points } = scenarioTrack(7_000 + u, Date.UTC(2026, 9, 1) + u * 1000, ROWS_PER_USER);
    const lines = points.slice(0, ROWS_PER_USER).map((p) => `user-${u},${seoulIso(p.t)},${p.lat.toFixed(7)},${p.lng.toFixed(7)}`);
    rows += lines.length;
    parts.push(`${lines.join("\n")}\n`);
  }
  writeFileSync(file, parts.join(""));
  return rows;
}

interface Run {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  stdout: string;
}

/** One run under GNU time, for the child's own CPU time and peak RSS next to the wall time measured here. */
function once(args: string[]): Run {
  const started = process.hrtime.bigint();
  const res = spawnSync("/usr/bin/time", ["-f", "%U %S %M", process.execPath, ...args], { encoding: "utf8", timeout: 120_000 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 0) throw new Error(`${args.join(" ")} failed: ${res.stderr}`);
  const [user, sys, rssKb] = (res.stderr.trim().split("\n").pop() as string).split(" ").map(Number) as [number, number, number];
  return { wallMs, cpuMs: (user + sys) * 1000, peakRssMb: rssKb / 1024, stdout: res.stdout.trim() };
}

const line = (name: string, r: Run): string =>
  `  ${name.padEnd(22)} ${r.wallMs.toFixed(0).padStart(6)} ms wall  ${r.cpuMs.toFixed(0).padStart(6)} ms CPU  peak RSS ${r.peakRssMb.toFixed(0)} MB  (${r.stdout})`;

const dir = mkdtempSync(path.join(tmpdir(), "staypoints-cli-bench-"));
try {
  const input = path.join(dir, "points.csv");
  const rows = writeExport(input);
  const mb = statSync(input).size / 2 ** 20;
  const cliArgs = [cli, "--input", input, "--output", path.join(dir, "stays.csv"), "--distance-m", "100", "--min-duration-min", "5"];
  // Alternating runs, so a change in the machine's load falls on both; the best of each.
  const best = { base: undefined as Run | undefined, readline: undefined as Run | undefined, tool: undefined as Run | undefined };
  const keep = (key: keyof typeof best, run: Run): void => {
    const kept = best[key];
    if (!kept || run.wallMs < kept.wallMs) best[key] = run;
  };
  for (let r = 0; r < RUNS; r++) {
    keep("base", once(["-e", COUNT_LINES, input]));
    keep("readline", once(["-e", READLINE_LINES, input]));
    keep("tool", once(cliArgs));
  }
  const base = best.base as Run;
  const rl = best.readline as Run;
  const ours = best.tool as Run;
  console.log(`staypoints CLI as a process: ${rows} rows, ${mb.toFixed(1)} MB, best of ${RUNS} alternating runs`);
  console.log(line("read and count lines", base));
  console.log(line("readline count lines", rl));
  console.log(line("staypoints-cli", ours));
  console.log(`  ratio cli/baseline: wall ${(ours.wallMs / base.wallMs).toFixed(2)}, CPU ${(ours.cpuMs / base.cpuMs).toFixed(2)}   (target <= 2.00)`);
  console.log(`  ratio cli/readline: wall ${(ours.wallMs / rl.wallMs).toFixed(2)}, CPU ${(ours.cpuMs / rl.cpuMs).toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
