import { type GpsPoint, haversineMeters } from "../../src/gps/staypoints";

/** Synthetic tracks with known stays, for the detector, ingestion and statistics tests (the staypoints bench shares the PRNG). */
interface TrueStay {
  lat: number;
  lng: number;
  startMs: number;
  endMs: number;
}

export interface Track {
  points: GpsPoint[];
  stays: TrueStay[];
}

const M_PER_DEG_LAT = 111_195;

/** Deterministic PRNG so a failing property run can be replayed from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

export function offset(lat: number, lng: number, northM: number, eastM: number): { lat: number; lng: number } {
  return { lat: lat + northM / M_PER_DEG_LAT, lng: lng + eastM / (M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180)) };
}

export interface TrackSpec {
  seed: number;
  startMs: number;
  stays: { minutes: number }[];
  sampleMs?: number;
  /** Uniform jitter radius at a place, metres. */
  jitterM?: number;
  speedMps?: number;
  /** Distance between consecutive places, metres. */
  legM?: number;
}

/** Stays at places `legM` apart in a zig-zag around Seoul, joined by straight moves at `speedMps`. */
export function makeTrack(spec: TrackSpec): Track {
  const rnd = mulberry32(spec.seed);
  const sample = spec.sampleMs ?? 30_000;
  const jitter = spec.jitterM ?? 20;
  const speed = spec.speedMps ?? 12;
  const leg = spec.legM ?? 3_000;
  const points: GpsPoint[] = [];
  const stays: TrueStay[] = [];
  let t = spec.startMs;
  let place = { lat: 37.5665, lng: 126.978 };
  spec.stays.forEach((stay, i) => {
    const start = t;
    const end = start + stay.minutes * 60_000;
    for (; t <= end; t += sample) {
      const r = jitter * Math.sqrt(rnd());
      const a = rnd() * 2 * Math.PI;
      points.push({ t, ...offset(place.lat, place.lng, r * Math.cos(a), r * Math.sin(a)) });
    }
    stays.push({ ...place, startMs: start, endMs: t - sample });
    if (i === spec.stays.length - 1) return;
    const next = offset(place.lat, place.lng, leg * (i % 2 === 0 ? 0.6 : -0.6), leg * 0.8);
    const steps = Math.ceil(leg / speed / (sample / 1000));
    for (let s = 1; s < steps; s++, t += sample) {
      points.push({ t, lat: place.lat + ((next.lat - place.lat) * s) / steps, lng: place.lng + ((next.lng - place.lng) * s) / steps });
    }
    place = next;
  });
  return { points, stays };
}

type MoveKind = "drive" | "drive with a sampling gap" | "walk" | "slow walk, 5 s" | "slow walk, 2 min";
type VisitSampling = "dense" | "app" | "silent";

interface TrueVisit extends TrueStay {
  sampling: VisitSampling;
}

interface TrueMove {
  startMs: number;
  endMs: number;
  kind: MoveKind;
}

export interface Scenario {
  points: GpsPoint[];
  /** Every visit, of any length: a detected stay overlapping none of them is invented. */
  visits: TrueVisit[];
  moves: TrueMove[];
}

const MIN_MS = 60_000;

/**
 * A user's days with the failure patterns of stay detection, ground truth known: visits of 2 min to 8 h, sampled
 * densely (every 30 s, with lone jitter fixes 120–190 m out and GPS bursts 3–8 km out), as the app samples (dense
 * for 5–15 min after arriving, then one wake-up fix every 30 ± 5 min, dense again 0.5–2 min after leaving), or by a
 * logger that stops on arrival (three fixes, then nothing until the next move); moves by car (8–20 m/s; those of 9 min or more
 * some with a 5–30 min sampling gap that leaves 4 min of fixes, sometimes broken by one lone fix), on foot (1.2–1.6 m/s) or as slow straight walks
 * (0.5–1.0 m/s, a fix every 5 s or every 2 min); and short round trips (10–25 min observed 1–3 km away, then back).
 */
export function scenarioTrack(seed: number, startMs: number, pointCount: number): Scenario {
  const rnd = mulberry32(seed);
  const between = (a: number, b: number): number => a + (b - a) * rnd();
  const points: GpsPoint[] = [];
  const visits: TrueVisit[] = [];
  const moves: TrueMove[] = [];
  const at = (t: number, loc: { lat: number; lng: number }, jitterM: number): void => {
    const r = jitterM * Math.sqrt(rnd());
    const a = rnd() * 2 * Math.PI;
    points.push({ t: Math.round(t), ...offset(loc.lat, loc.lng, r * Math.cos(a), r * Math.sin(a)) });
  };
  let t = startMs;
  let place = offset(37.5665, 126.978, between(-10_000, 10_000), between(-10_000, 10_000));
  let returnTo: { lat: number; lng: number } | undefined;
  let forceDense = false;
  while (points.length < pointCount) {
    const u = rnd();
    const minutes = forceDense ? between(10, 25) : u < 0.3 ? between(2, 15) : u < 0.6 ? between(15, 60) : between(60, 480);
    const v = rnd();
    const sampling: VisitSampling = forceDense || v < 0.45 ? "dense" : v < 0.85 || minutes < 60 ? "app" : "silent";
    const end = t + minutes * MIN_MS;
    const jitter = between(3, 25);
    if (sampling === "dense") {
      for (let f = t; f <= end; f += 30_000) {
        const noise = rnd();
        if (noise < 1 / 500) {
          const burst = 1 + Math.floor(rnd() * 3);
          const far = offset(place.lat, place.lng, between(3_000, 8_000) * (rnd() < 0.5 ? -1 : 1), between(-3_000, 3_000));
          for (let b = 0; b < burst && f <= end; b++, f += 30_000) at(f, far, 50);
          if (f > end) break;
        }
        if (noise > 1 - 1 / 80) {
          const r = between(120, 190);
          const a = rnd() * 2 * Math.PI;
          points.push({ t: f, ...offset(place.lat, place.lng, r * Math.cos(a), r * Math.sin(a)) });
        } else {
          at(f, place, jitter);
        }
      }
    } else if (sampling === "app") {
      const settle = t + between(5, 15) * MIN_MS;
      let f = t;
      for (; f <= Math.min(end, settle); f += 30_000) at(f, place, jitter);
      for (f = settle + between(25, 35) * MIN_MS; f <= end; f += between(25, 35) * MIN_MS) at(f, place, jitter);
    } else {
      for (let f = 0; f < 3; f++) at(t + f * 30_000, place, jitter);
    }
    visits.push({ ...place, startMs: t, endMs: end, sampling });
    t = end;
    forceDense = false;

    // The next place: back home after a round trip, out on one, or somewhere new.
    let next: { lat: number; lng: number };
    if (returnTo) {
      next = returnTo;
      returnTo = undefined;
    } else if (rnd() < 0.15) {
      returnTo = place;
      forceDense = true;
      const a = rnd() * 2 * Math.PI;
      const d = between(1_000, 3_000);
      next = offset(place.lat, place.lng, d * Math.cos(a), d * Math.sin(a));
    } else {
      const a = rnd() * 2 * Math.PI;
      const d = between(500, 15_000);
      next = offset(place.lat, place.lng, d * Math.cos(a), d * Math.sin(a));
    }
    const dist = haversineMeters(place.lat, place.lng, next.lat, next.lng);
    const k = rnd();
    let kind: MoveKind;
    let speed: number;
    let period = 30_000;
    if (k < 0.15 || dist < 1_500) {
      kind = k < 0.08 ? "slow walk, 5 s" : k < 0.15 ? "slow walk, 2 min" : "walk";
      speed = kind === "walk" ? between(1.2, 1.6) : between(0.5, 1.0);
      period = kind === "slow walk, 5 s" ? 5_000 : kind === "slow walk, 2 min" ? 120_000 : 30_000;
    } else {
      kind = k < 0.45 ? "drive with a sampling gap" : "drive";
      speed = between(8, 20);
    }
    const duration = (dist / speed) * 1000;
    let gapFrom = Infinity;
    let gapTo = Infinity;
    let loneAt = Infinity;
    // The gap lies inside the drive, at the drive's speed: a drive too short for a 5-minute gap has none (stretching
    // it to fit would make it a walk at 1–2 m/s, one the detector cannot tell from a stay and a walk at 1.4 m/s).
    if (kind === "drive with a sampling gap" && duration < 9 * MIN_MS) kind = "drive";
    if (kind === "drive with a sampling gap") {
      const gap = between(5, Math.min(30, (duration - 4 * MIN_MS) / MIN_MS)) * MIN_MS;
      gapFrom = t + between(MIN_MS, duration - gap - 2 * MIN_MS);
      gapTo = gapFrom + gap;
      if (rnd() < 0.5) loneAt = gapFrom + between(0.2, 0.8) * gap;
    }
    const moveEnd = t + duration;
    const firstFix = sampling === "dense" ? period : between(0.5, 2) * MIN_MS;
    const position = (f: number): { lat: number; lng: number } => {
      const s = (f - t) / duration;
      return { lat: place.lat + (next.lat - place.lat) * s, lng: place.lng + (next.lng - place.lng) * s };
    };
    for (let f = t + firstFix; f < moveEnd; f += period) {
      if (f >= gapFrom && f < gapTo) continue;
      at(f, position(f), 5);
    }
    if (loneAt < Infinity) at(loneAt, position(loneAt), 5);
    moves.push({ startMs: t, endMs: moveEnd, kind });
    t = Math.ceil(moveEnd / 1000) * 1000;
    place = next;
  }
  points.sort((a, b) => a.t - b.t);
  return { points, visits, moves };
}
