/**
 * From stored points to a timeline of stays and moves, and the daily path the app shows (map of stays, pie of time
 * per category). Pure: the route reads the points and places, this decides everything else.
 */
import { type CategorizedStay, type InferredPlaces, type LabelledPlace, categorize, inferHomeWork } from "./categories";
import { DAY_MS, SEOUL_TIME_ZONE, seoulDayStart } from "../core/seoulTime";
import { type StoredPoint, addDays } from "./points";
import { DEFAULT_TRAVEL_SPEED_MPS, type StayPointOptions, detectStayPoints } from "./staypoints";

/** The detector settings for paths and statistics (the CLI lets analysts try others). */
const PATH_OPTIONS: Required<StayPointOptions> = { distanceMeters: 100, minDurationMs: 5 * 60_000, travelSpeedMps: DEFAULT_TRAVEL_SPEED_MPS };
/** A stretch without a fix for longer than this is unknown, not moving. */
const MAX_UNOBSERVED_MS = 60 * 60_000;
/** Days before the date whose stays decide where home and work are. */
const INFERENCE_DAYS = 7;

export interface Move {
  startMs: number;
  endMs: number;
  pointCount: number;
}

export interface Timeline {
  stays: CategorizedStay[];
  moves: Move[];
  inferred: InferredPlaces;
}

/**
 * Moves are the stretches between stays (and before the first, after the last) that have fixes; a stretch without
 * a fix for longer than `maxGapMs` is unknown, not moving.
 */
export function findMoves(points: readonly StoredPoint[], stays: readonly { startMs: number; endMs: number }[], maxGapMs: number): Move[] {
  const moves: Move[] = [];
  if (points.length === 0) return moves;
  const bounds: [number, number][] = [];
  let cursor = (points[0] as StoredPoint).t;
  for (const s of stays) {
    if (s.startMs > cursor) bounds.push([cursor, s.startMs]);
    cursor = Math.max(cursor, s.endMs);
  }
  const lastT = (points[points.length - 1] as StoredPoint).t;
  if (lastT > cursor) bounds.push([cursor, lastT]);
  let i = 0;
  for (const [a, b] of bounds) {
    while (i < points.length && (points[i] as StoredPoint).t < a) i++;
    let runStart = a;
    let prev = a;
    let count = 0;
    for (; i < points.length && (points[i] as StoredPoint).t < b; i++) {
      const t = (points[i] as StoredPoint).t;
      if (t - prev > maxGapMs) {
        if (prev > runStart) moves.push({ startMs: runStart, endMs: prev, pointCount: count });
        runStart = t;
        count = 0;
      }
      count++;
      prev = t;
    }
    if (b - prev > maxGapMs) {
      if (prev > runStart) moves.push({ startMs: runStart, endMs: prev, pointCount: count });
    } else if (b > runStart) {
      moves.push({ startMs: runStart, endMs: b, pointCount: count });
    }
  }
  return moves;
}

/** Stays, categories and moves of points; home and work inferred from the stays within [inferFromMs, inferToMs). */
export function buildTimeline(points: readonly StoredPoint[], places: readonly LabelledPlace[], inferFromMs: number, inferToMs: number): Timeline {
  const stays = detectStayPoints(points, PATH_OPTIONS);
  const inferred = inferHomeWork(stays, inferFromMs, inferToMs);
  return { stays: categorize(stays, places, inferred), moves: findMoves(points, stays, MAX_UNOBSERVED_MS), inferred };
}

const overlap = (s: number, e: number, from: number, to: number): number => Math.max(0, Math.min(e, to) - Math.max(s, from));

/** Time per category (plus `moving`) within [fromMs, toMs); a stay crossing a boundary counts on each side. */
export function timeByCategory(tl: Timeline, fromMs: number, toMs: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of tl.stays) {
    const ms = overlap(s.startMs, s.endMs, fromMs, toMs);
    if (ms > 0) out[s.category] = (out[s.category] ?? 0) + ms;
  }
  const moving = tl.moves.reduce((n, m) => n + overlap(m.startMs, m.endMs, fromMs, toMs), 0);
  if (moving > 0) out.moving = moving;
  return out;
}

export interface DailyPath {
  date: string;
  timeZone: typeof SEOUL_TIME_ZONE;
  /** Whole stays for the map; `dayStartMs`/`dayEndMs` are the part inside the date. */
  stays: (CategorizedStay & { dayStartMs: number; dayEndMs: number })[];
  moves: Move[];
  /** Share of the 24 hours per category, `moving` and `unknown` (no data, or the future); sums to 1. */
  shares: Record<string, number>;
  durationsMs: Record<string, number>;
  inferred: InferredPlaces;
}

/** The days of points buildDailyPath needs: the inference window and the day after (stays crossing midnight). */
export function dailyPathDays(date: string): string[] {
  return Array.from({ length: INFERENCE_DAYS + 1 }, (_, i) => addDays(date, i - INFERENCE_DAYS + 1));
}

export function buildDailyPath(date: string, points: readonly StoredPoint[], places: readonly LabelledPlace[]): DailyPath {
  const from = seoulDayStart(date);
  const to = from + DAY_MS;
  const tl = buildTimeline(points, places, from - (INFERENCE_DAYS - 1) * DAY_MS, to);
  const durationsMs = timeByCategory(tl, from, to);
  const known = Object.values(durationsMs).reduce((n, v) => n + v, 0);
  const unknown = DAY_MS - known;
  if (unknown > 0) durationsMs.unknown = unknown;
  const shares: Record<string, number> = {};
  for (const [k, v] of Object.entries(durationsMs)) shares[k] = v / DAY_MS;
  return {
    date,
    timeZone: SEOUL_TIME_ZONE,
    stays: tl.stays
      .filter((s) => s.endMs > from && s.startMs < to)
      .map((s) => ({ ...s, dayStartMs: Math.max(s.startMs, from), dayEndMs: Math.min(s.endMs, to) })),
    moves: tl.moves
      .filter((m) => m.endMs > from && m.startMs < to)
      .map((m) => ({ ...m, startMs: Math.max(m.startMs, from), endMs: Math.min(m.endMs, to) })),
    shares,
    durationsMs,
    inferred: tl.inferred,
  };
}
