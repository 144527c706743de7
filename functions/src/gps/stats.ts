/**
 * Weekly statistics (Monday–Sunday, Asia/Seoul) and the badges they earn. Pure: deterministic figures of the stored
 * points, so recomputing a week after a late upload, or twice, gives the same document.
 */
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { BADGES, type Badge, type BadgeRule } from "./badgeCatalogue";
import { type LabelledPlace, SAME_PLACE_METERS } from "./categories";
import { seoulDay, seoulDayStart } from "../core/seoulTime";
import { DAY_MS, type StoredPoint, addDays } from "./points";
import { haversineMeters } from "./staypoints";
import { buildTimeline, timeByCategory } from "./timeline";

const HOUR = 3_600_000;

export const weekFiguresSchema = z.object({
  hours: z.record(z.string(), z.number()),
  movingHours: z.number(),
  distinctPlaces: z.number().int(),
  stayCount: z.number().int(),
  daysWithLogs: z.number().int(),
  pointCount: z.number().int(),
});
export type WeekFigures = z.infer<typeof weekFiguresSchema>;

export const weeklyStatsSchema = z.object({
  uid: z.string(),
  week: z.string(),
  from: z.string(),
  to: z.string(),
  figures: weekFiguresSchema,
  previous: weekFiguresSchema.nullable(),
  change: z.record(z.string(), z.number()).nullable(),
  badges: z.array(z.object({ id: z.string(), title: z.string() })),
});
export type WeeklyStats = z.infer<typeof weeklyStatsSchema>;

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The days of points computeWeeklyStats needs for the week starting `monday`: the previous week too, and a day each side. */
export function weeklyStatsDays(monday: string): string[] {
  return Array.from({ length: 16 }, (_, i) => addDays(monday, i - 8));
}

/** Figures for [monday, monday + 7 days); `points` must cover the day before and after as well. */
export function weekFigures(points: readonly StoredPoint[], places: readonly LabelledPlace[], monday: string): WeekFigures | null {
  const from = seoulDayStart(monday);
  const to = from + 7 * DAY_MS;
  const inWeek = points.filter((p) => p.t >= from && p.t < to);
  if (inWeek.length === 0) return null;
  const tl = buildTimeline(points, places, from, to);
  const byCategory = timeByCategory(tl, from, to);
  const hours: Record<string, number> = {};
  for (const [k, ms] of Object.entries(byCategory).sort(([a], [b]) => a.localeCompare(b))) {
    if (k !== "moving") hours[k] = round2(ms / HOUR);
  }
  const weekStays = tl.stays.filter((s) => s.endMs > from && s.startMs < to);
  // A labelled place is one place however its stays scatter; the rest are grouped by distance.
  const labelled = new Set<string>();
  const centres: { lat: number; lng: number }[] = [];
  for (const s of weekStays) {
    if (s.placeId !== undefined) {
      labelled.add(s.placeId);
    } else if (!centres.some((c) => haversineMeters(c.lat, c.lng, s.lat, s.lng) <= SAME_PLACE_METERS)) {
      centres.push({ lat: s.lat, lng: s.lng });
    }
  }
  return {
    hours,
    movingHours: round2((byCategory.moving ?? 0) / HOUR),
    distinctPlaces: labelled.size + centres.length,
    stayCount: weekStays.length,
    daysWithLogs: new Set(inWeek.map((p) => seoulDay(p.t))).size,
    pointCount: inWeek.length,
  };
}

/** Numeric figures by dotted name (`hours.home`, `movingHours`, ...); hours of an absent category are 0. */
function figure(f: WeekFigures, name: string): number {
  if (name.startsWith("hours.")) return f.hours[name.slice(6)] ?? 0;
  const v = (f as unknown as Record<string, unknown>)[name];
  return typeof v === "number" ? v : 0;
}

export function changeBetween(current: WeekFigures, previous: WeekFigures): Record<string, number> {
  const out: Record<string, number> = {};
  const categories = [...new Set([...Object.keys(current.hours), ...Object.keys(previous.hours)])].sort();
  for (const c of categories) out[`hours.${c}`] = round2(figure(current, `hours.${c}`) - figure(previous, `hours.${c}`));
  for (const k of ["movingHours", "distinctPlaces", "stayCount", "daysWithLogs"]) out[k] = round2(figure(current, k) - figure(previous, k));
  return out;
}

function holds(rule: BadgeRule, f: WeekFigures, change: Record<string, number> | null): boolean {
  let value: number;
  if (rule.figure.startsWith("change.")) {
    if (!change) return false;
    value = change[rule.figure.slice(7)] ?? 0;
  } else {
    value = figure(f, rule.figure);
  }
  switch (rule.op) {
    case ">=":
      return value >= rule.value;
    case "<=":
      return value <= rule.value;
    case ">":
      return value > rule.value;
    case "<":
      return value < rule.value;
  }
}

export function awardBadges(f: WeekFigures, change: Record<string, number> | null, catalogue: readonly Badge[] = BADGES): { id: string; title: string }[] {
  return catalogue.filter((b) => b.all.every((r) => holds(r, f, change))).map((b) => ({ id: b.id, title: b.title }));
}

/** The week's document, or null when the user has no points in it. */
export function computeWeeklyStats(
  uid: string,
  week: string,
  monday: string,
  points: readonly StoredPoint[],
  places: readonly LabelledPlace[],
): WeeklyStats | null {
  const figures = weekFigures(points, places, monday);
  if (!figures) return null;
  const previous = weekFigures(points, places, addDays(monday, -7));
  const change = previous ? changeBetween(figures, previous) : null;
  return { uid, week, from: monday, to: addDays(monday, 6), figures, previous, change, badges: awardBadges(figures, change) };
}

/**
 * Whether a recomputation equals the stored week, so a re-run that computes the same figures writes nothing. Strict
 * deep equality ignores key order, as the figures' records need. Unlike a comparison of JSON texts it tells -0 from 0,
 * NaN from null and undefined from null, none of which can differ between two computations of the same points
 * (Firestore stores -0 as a double and reads it back as -0; the figures are finite; no field is ever undefined).
 */
export function sameStats(a: WeeklyStats, b: WeeklyStats): boolean {
  return isDeepStrictEqual(a, b);
}
