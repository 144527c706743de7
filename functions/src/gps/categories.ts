/**
 * What a stay was: a place the user labelled (within its radius), else `home` (where the user dwells at night) or
 * `work` (weekday daytime) inferred from the stays of a window of days, else `other`. Pure.
 */
import { seoulDayNumber, seoulDayNumberStart, seoulTime } from "../core/seoulTime";
import type { LabelledPlace } from "./schema";
import { type StayPoint, haversineMeters } from "./staypoints";

export type { LabelledPlace } from "./schema";

export interface CategorizedStay extends StayPoint {
  category: string;
  placeId?: string;
  placeName?: string;
}

interface Location {
  lat: number;
  lng: number;
}

export interface InferredPlaces {
  home?: Location;
  work?: Location;
}

/** Stays whose centroids lie this close are the same place (GPS centroids of one place scatter by tens of metres). */
export const SAME_PLACE_METERS = 150;
const HOUR = 3_600_000;
/** 22:00–06:00 Asia/Seoul. */
const NIGHT = { from: 22 * HOUR, to: 30 * HOUR };
/** 09:00–18:00 Asia/Seoul, Monday to Friday. */
const WORK = { from: 9 * HOUR, to: 18 * HOUR };
const MIN_HOME_NIGHT_MS = 3 * HOUR;
const MIN_WORK_DAY_MS = 4 * HOUR;

interface Cluster extends Location {
  stays: StayPoint[];
}

/** Groups stays by place: longest stays first, each joining the first cluster whose centre is near enough. */
function clusterStays(stays: readonly StayPoint[]): Cluster[] {
  const order = stays.slice().sort((a, b) => b.endMs - b.startMs - (a.endMs - a.startMs) || a.startMs - b.startMs);
  const clusters: Cluster[] = [];
  for (const s of order) {
    const c = clusters.find((k) => haversineMeters(k.lat, k.lng, s.lat, s.lng) <= SAME_PLACE_METERS);
    if (c) c.stays.push(s);
    else clusters.push({ lat: s.lat, lng: s.lng, stays: [s] });
  }
  return clusters;
}

/** Milliseconds of [startMs, endMs) falling in the daily window (ms after Seoul midnight), weekdays only if asked. */
export function dailyOverlapMs(startMs: number, endMs: number, window: { from: number; to: number }, weekdaysOnly: boolean): number {
  if (endMs <= startMs) return 0;
  let total = 0;
  // From the day before: a window may run past midnight into the day the stay starts on.
  const firstDay = seoulDayNumber(startMs) - 1;
  const lastDay = seoulDayNumber(endMs);
  for (let d = firstDay; d <= lastDay; d++) {
    const base = seoulDayNumberStart(d);
    const dow = seoulTime(base).weekday;
    if (weekdaysOnly && (dow === 0 || dow === 6)) continue;
    const a = Math.max(startMs, base + window.from);
    const b = Math.min(endMs, base + window.to);
    if (b > a) total += b - a;
  }
  return total;
}

/** Home and work from the stays clipped to [fromMs, toMs). */
export function inferHomeWork(stays: readonly StayPoint[], fromMs: number, toMs: number): InferredPlaces {
  const clipped = stays
    .map((s) => ({ ...s, startMs: Math.max(s.startMs, fromMs), endMs: Math.min(s.endMs, toMs) }))
    .filter((s) => s.endMs > s.startMs);
  const clusters = clusterStays(clipped);
  const score = (c: Cluster, window: { from: number; to: number }, weekdays: boolean): number =>
    c.stays.reduce((n, s) => n + dailyOverlapMs(s.startMs, s.endMs, window, weekdays), 0);
  const best = (candidates: Cluster[], window: { from: number; to: number }, weekdays: boolean, min: number): Cluster | undefined => {
    let top: Cluster | undefined;
    let topScore = min;
    for (const c of candidates) {
      const s = score(c, window, weekdays);
      if (s >= topScore && (top === undefined || s > topScore)) {
        top = c;
        topScore = s;
      }
    }
    return top;
  };
  const home = best(clusters, NIGHT, false, MIN_HOME_NIGHT_MS);
  const work = best(clusters.filter((c) => c !== home), WORK, true, MIN_WORK_DAY_MS);
  return {
    ...(home ? { home: { lat: home.lat, lng: home.lng } } : {}),
    ...(work ? { work: { lat: work.lat, lng: work.lng } } : {}),
  };
}

export function categorize(stays: readonly StayPoint[], places: readonly LabelledPlace[], inferred: InferredPlaces): CategorizedStay[] {
  return stays.map((s) => {
    let label: LabelledPlace | undefined;
    let nearest = Infinity;
    for (const p of places) {
      const d = haversineMeters(p.lat, p.lng, s.lat, s.lng);
      if (d <= p.radiusMeters && (d < nearest || (d === nearest && label !== undefined && p.id < label.id))) {
        label = p;
        nearest = d;
      }
    }
    if (label) return { ...s, category: label.category, placeId: label.id, placeName: label.name };
    for (const kind of ["home", "work"] as const) {
      const at = inferred[kind];
      if (at && haversineMeters(at.lat, at.lng, s.lat, s.lng) <= SAME_PLACE_METERS) return { ...s, category: kind };
    }
    return { ...s, category: "other" };
  });
}
