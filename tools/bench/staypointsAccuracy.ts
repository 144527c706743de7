/**
 * Accuracy of the stay-point detector on 1,000,000 synthetic points with the failure patterns of stay detection
 * (test/gps/tracks.ts `scenarioTrack`: sampling gaps during drives, slow straight walks, observed round trips, GPS
 * bursts, loggers that stop on arrival, the app's 30-minute wake-ups), ground truth known, at 100 m and 5 and 30 min.
 *
 * A detected stay is matched to the true visit it overlaps longest in time among those within the distance of its
 * centre; one that overlaps none is a false stay (counted by what the person was really doing). Recall is over the
 * visits at least as long as the time threshold; a visit matched by two stays or more is split.
 * Usage: npm run bench:staypoints-accuracy
 */
import { type StayPoint, type StayPointOptions, detectStayPointsColumns, haversineMeters, toColumns } from "../../functions/src/gps/staypoints";
import { type Scenario, scenarioTrack } from "../../functions/test/gps/tracks";

const USERS = 10;
const POINTS_PER_USER = 100_000;
const MIN = 60_000;

export interface Accuracy {
  detected: number;
  truth: number;
  recalled: number;
  falseStays: number;
  splitStays: number;
  /** False stays by the move they fall in (or "visit" when they overlap a visit too far from their centre). */
  falseBy: Record<string, number>;
  /** Median |detected end − true end| of matched stays, minutes. */
  medianEndErrorMin: number;
}

export function evaluate(scenario: Scenario, stays: readonly StayPoint[], options: StayPointOptions): Accuracy {
  const { visits, moves } = scenario;
  const matches = new Array<number>(visits.length).fill(0);
  const endErrors: number[] = [];
  const falseBy: Record<string, number> = {};
  let falseStays = 0;
  let v0 = 0;
  let m0 = 0;
  for (const s of stays) {
    while (v0 < visits.length && (visits[v0] as Scenario["visits"][number]).endMs < s.startMs) v0++;
    let best = -1;
    let bestOverlap = -1;
    for (let v = v0; v < visits.length && (visits[v] as Scenario["visits"][number]).startMs <= s.endMs; v++) {
      const visit = visits[v] as Scenario["visits"][number];
      const overlap = Math.min(s.endMs, visit.endMs) - Math.max(s.startMs, visit.startMs);
      if (overlap >= 0 && overlap > bestOverlap && haversineMeters(s.lat, s.lng, visit.lat, visit.lng) <= options.distanceMeters) {
        best = v;
        bestOverlap = overlap;
      }
    }
    if (best >= 0) {
      matches[best] = (matches[best] as number) + 1;
      endErrors.push(Math.abs(s.endMs - (visits[best] as Scenario["visits"][number]).endMs) / MIN);
      continue;
    }
    falseStays++;
    while (m0 < moves.length && (moves[m0] as Scenario["moves"][number]).endMs < s.startMs) m0++;
    const move = moves.slice(m0).find((m) => m.startMs < s.endMs && m.endMs > s.startMs);
    const why = move ? move.kind : "visit";
    falseBy[why] = (falseBy[why] ?? 0) + 1;
  }
  let truth = 0;
  let recalled = 0;
  let splitStays = 0;
  visits.forEach((visit, v) => {
    if (visit.endMs - visit.startMs < options.minDurationMs) return;
    truth++;
    if ((matches[v] as number) > 0) recalled++;
    if ((matches[v] as number) > 1) splitStays++;
  });
  endErrors.sort((a, b) => a - b);
  return {
    detected: stays.length,
    truth,
    recalled,
    falseStays,
    splitStays,
    falseBy,
    medianEndErrorMin: endErrors.length ? (endErrors[endErrors.length >> 1] as number) : 0,
  };
}

export function add(a: Accuracy, b: Accuracy): Accuracy {
  const falseBy = { ...a.falseBy };
  for (const [k, n] of Object.entries(b.falseBy)) falseBy[k] = (falseBy[k] ?? 0) + n;
  return {
    detected: a.detected + b.detected,
    truth: a.truth + b.truth,
    recalled: a.recalled + b.recalled,
    falseStays: a.falseStays + b.falseStays,
    splitStays: a.splitStays + b.splitStays,
    falseBy,
    medianEndErrorMin: Math.max(a.medianEndErrorMin, b.medianEndErrorMin),
  };
}

if (require.main === module) {
  const scenarios = Array.from({ length: USERS }, (_, u) => scenarioTrack(7_000 + u, Date.UTC(2026, 9, 1) + u * 1000, POINTS_PER_USER));
  const points = scenarios.reduce((n, s) => n + s.points.length, 0);
  const visits = scenarios.reduce((n, s) => n + s.visits.length, 0);
  console.log(`stay-point accuracy: ${points} points, ${USERS} users, ${visits} true visits (100 m)`);
  for (const minutes of [5, 30]) {
    const options = { distanceMeters: 100, minDurationMs: minutes * MIN };
    let total: Accuracy | undefined;
    for (const s of scenarios) {
      const acc = evaluate(s, detectStayPointsColumns(toColumns(s.points), options), options);
      total = total ? add(total, acc) : acc;
    }
    const a = total as Accuracy;
    const precision = (a.detected - a.falseStays) / a.detected;
    const recall = a.recalled / a.truth;
    const by = Object.entries(a.falseBy).map(([k, n]) => `${k} ${n}`).join(", ") || "none";
    console.log(
      `  ${String(minutes).padStart(2)} min: precision ${precision.toFixed(4)}  recall ${recall.toFixed(4)}  ` +
        `${a.detected} stays for ${a.truth} visits  false ${a.falseStays} (${by})  split ${a.splitStays}  ` +
        `median end error ≤ ${a.medianEndErrorMin.toFixed(1)} min (worst user)`,
    );
  }
}
