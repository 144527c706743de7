/**
 * Stay-point detection throughput on 1,000,000 synthetic points (10 users, 30 s sampling, stays and moves), against
 * a straightforward object-per-point implementation of the classic Li et al. (2008) algorithm in the same run.
 * Each implementation runs in its own child process on identical data so its peak RSS is its own.
 * Usage: npm run bench:staypoints
 */
import { execFileSync } from "node:child_process";
import { type GpsPoint, type StayPoint, detectStayPoints, detectStayPointsColumns, haversineMeters, toColumns } from "../../functions/src/gps/staypoints";
import { mulberry32 } from "../../functions/test/gps/tracks";

const USERS = 10;
const POINTS_PER_USER = 100_000;
const SAMPLE_MS = 30_000;
const OPTIONS = { distanceMeters: 100, minDurationMs: 5 * 60_000 };
const RUNS = 5;

/** A user's month: stays of 10 min to 8 h with 25 m jitter, moves of 1 to 20 km at walking to driving speed. */
function userTrack(user: number): { points: GpsPoint[]; stays: number } {
  const rnd = mulberry32(1000 + user);
  const points: GpsPoint[] = [];
  let t = Date.UTC(2026, 9, 1) + user * 1000;
  let lat = 37.45 + rnd() * 0.2;
  let lng = 126.85 + rnd() * 0.3;
  let stays = 0;
  while (points.length < POINTS_PER_USER) {
    stays++;
    const stayPoints = Math.round((10 + rnd() * 470) * 2);
    for (let i = 0; i < stayPoints && points.length < POINTS_PER_USER; i++, t += SAMPLE_MS) {
      const r = 25 * Math.sqrt(rnd());
      const a = rnd() * 2 * Math.PI;
      points.push({ t, lat: lat + (r * Math.cos(a)) / 111_195, lng: lng + (r * Math.sin(a)) / 88_000 });
    }
    const km = 1 + rnd() * 19;
    const speed = 1.4 + rnd() * 15;
    const steps = Math.max(2, Math.round((km * 1000) / speed / (SAMPLE_MS / 1000)));
    const heading = rnd() * 2 * Math.PI;
    const dLat = (Math.cos(heading) * km) / 111.195 / steps;
    const dLng = (Math.sin(heading) * km) / 88 / steps;
    for (let i = 0; i < steps && points.length < POINTS_PER_USER; i++, t += SAMPLE_MS) {
      lat += dLat;
      lng += dLng;
      points.push({ t, lat, lng });
    }
  }
  return { points, stays };
}

/** Li et al. (2008) as usually written: objects, haversine, restart one point later when a window is too short. */
function classicStayPoints(points: GpsPoint[], distanceMeters: number, minDurationMs: number): StayPoint[] {
  const stays: StayPoint[] = [];
  let i = 0;
  while (i < points.length) {
    let j = i + 1;
    let found = false;
    while (j < points.length) {
      const pi = points[i]!;
      const pj = points[j]!;
      if (haversineMeters(pi.lat, pi.lng, pj.lat, pj.lng) > distanceMeters) {
        if (pj.t - pi.t > minDurationMs) {
          const members = points.slice(i, j);
          stays.push({
            lat: members.reduce((s, p) => s + p.lat, 0) / members.length,
            lng: members.reduce((s, p) => s + p.lng, 0) / members.length,
            startMs: pi.t,
            endMs: pj.t,
            pointCount: members.length,
          });
          i = j;
          found = true;
        }
        break;
      }
      j++;
    }
    if (!found) i++;
  }
  return stays;
}

interface Result {
  impl: string;
  points: number;
  trueStays: number;
  stays: number;
  bestMs: number;
  pointsPerSecond: number;
  rssAfterDataMb: number;
  peakRssMb: number;
}

type Impl = "detectStayPoints" | "columns" | "classic";

function child(impl: Impl): void {
  const generated = Array.from({ length: USERS }, (_, u) => userTrack(u));
  const users = generated.map((g) => g.points);
  // The CLI's path: columns built while parsing, so only the detection is timed.
  const columns = impl === "columns" ? users.map(toColumns) : [];
  const trueStays = generated.reduce((n, g) => n + g.stays, 0);
  const rssAfterDataMb = process.memoryUsage().rss / 2 ** 20;
  const points = users.reduce((n, u) => n + u.length, 0);
  let best = Infinity;
  let stays = 0;
  for (let run = 0; run < (impl === "classic" ? 2 : RUNS); run++) {
    const started = process.hrtime.bigint();
    stays = 0;
    for (const [u, track] of users.entries()) {
      if (impl === "classic") stays += classicStayPoints(track, OPTIONS.distanceMeters, OPTIONS.minDurationMs).length;
      else if (impl === "columns") stays += detectStayPointsColumns(columns[u]!, OPTIONS).length;
      else stays += detectStayPoints(track, OPTIONS).length;
    }
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
  }
  const result: Result = {
    impl,
    points,
    trueStays,
    stays,
    bestMs: best,
    pointsPerSecond: (points / best) * 1000,
    rssAfterDataMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(result));
}

function run(impl: string): Result {
  return JSON.parse(execFileSync(process.execPath, [__filename, impl], { encoding: "utf8" })) as Result;
}

const mode = process.argv[2];
if (mode === "detectStayPoints" || mode === "columns" || mode === "classic") {
  child(mode);
} else {
  const ours = run("detectStayPoints");
  const cols = run("columns");
  const base = run("classic");
  const line = (r: Result): string =>
    `  ${r.impl.padEnd(17)} ${r.bestMs.toFixed(1).padStart(8)} ms  ${(r.pointsPerSecond / 1e6).toFixed(2).padStart(7)} M points/s  ` +
    `${String(r.stays).padStart(5)} stays  peak RSS ${r.peakRssMb.toFixed(0)} MB (${r.rssAfterDataMb.toFixed(0)} MB after generating the data)`;
  console.log(`stay points: ${ours.points} points, ${USERS} users, 30 s sampling, 100 m / 5 min, ${ours.trueStays} generated stays`);
  console.log(line(ours));
  console.log(line(cols));
  console.log(line(base));
  console.log(`  speed-up detectStayPoints/classic: ${(base.bestMs / ours.bestMs).toFixed(1)}x, columns/classic: ${(base.bestMs / cols.bestMs).toFixed(1)}x   (target >= 5.00 M points/s)`);
}
