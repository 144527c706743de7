import type { GpsPoint } from "../../src/gps/staypoints";

/** Synthetic tracks with known stays, for the detector, ingestion and statistics tests (the staypoints bench shares the PRNG). */
export interface TrueStay {
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
