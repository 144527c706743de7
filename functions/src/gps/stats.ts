/**
 * Weekly statistics (Monday–Sunday, Asia/Seoul) and the badges they earn. Pure: deterministic figures of the stored
 * points, so recomputing a week after a late upload, or twice, gives the same document.
 */
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import {
  BADGES,
  BADGE_FIGURES,
  BADGE_IDS,
  type Badge,
  type BadgeFigure,
  type BadgeRule,
  COMPARED_FIGURES,
  type ChangeFigureName,
  type WeekFigureName,
  badgeTitle,
} from "./badgeCatalogue";
import { type LabelledPlace, SAME_PLACE_METERS } from "./categories";
import { DAY_MS, seoulDay, seoulDayStart } from "../core/seoulTime";
import { type StoredPoint, addDays } from "./points";
import { haversineMeters } from "./staypoints";
import { buildTimeline, timeByCategory } from "./timeline";

const HOUR = 3_600_000;

const weekFiguresSchema = z.object({
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
/** A week as computed and as served: badges with the catalogue's titles. */
export type WeeklyStats = z.infer<typeof weeklyStatsSchema>;

const badgeIdSchema = z.enum(BADGE_IDS);

/**
 * The stored weekly document: the same fields, badges by id alone; reading it attaches the catalogue's titles.
 * Documents written before ids alone carry `{id, title}` objects: their stored titles are ignored for the
 * catalogue's, so both kinds read the same.
 */
export const weeklyStatsDocSchema = weeklyStatsSchema
  .extend({
    badges: z.array(z.union([badgeIdSchema, z.object({ id: badgeIdSchema, title: z.string() }).transform((b) => b.id)])),
  })
  .transform((doc): WeeklyStats => ({ ...doc, badges: doc.badges.map((id) => ({ id, title: badgeTitle(id) })) }));
export type WeeklyStatsDoc = Omit<WeeklyStats, "badges"> & { badges: string[] };

/** What a store writes for a week: its badges' ids, no titles. */
export function toWeeklyStatsDoc(stats: WeeklyStats): WeeklyStatsDoc {
  return { ...stats, badges: stats.badges.map((b) => b.id) };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The days of points computeWeeklyStats needs for the week starting `monday`: the previous week too, and a day each side. */
export function weeklyStatsDays(monday: string): string[] {
  return Array.from({ length: 16 }, (_, i) => addDays(monday, i - 8));
}

/** Figures for [monday, monday + 7 days); `points` must cover the day before and after as well. */
function weekFigures(points: readonly StoredPoint[], places: readonly LabelledPlace[], monday: string): WeekFigures | null {
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

/** A figure of the week by name; hours of a category the week has no stay of are 0. */
function figure(f: WeekFigures, name: WeekFigureName): number {
  switch (name) {
    case "hours.home":
    case "hours.work":
    case "hours.other":
      return f.hours[name.slice("hours.".length)] ?? 0;
    default:
      return f[name];
  }
}

/** This week minus the last, per category (`hours.<category>`, every category of either week) and compared figure. */
function changeBetween(current: WeekFigures, previous: WeekFigures): Record<string, number> {
  const out: Record<string, number> = {};
  const categories = [...new Set([...Object.keys(current.hours), ...Object.keys(previous.hours)])].sort();
  for (const c of categories) out[`hours.${c}`] = round2((current.hours[c] ?? 0) - (previous.hours[c] ?? 0));
  for (const k of COMPARED_FIGURES) out[k] = round2(current[k] - previous[k]);
  return out;
}

const isChange = (name: BadgeFigure): name is ChangeFigureName => name.startsWith("change.");

function holds(rule: BadgeRule, f: WeekFigures, change: Record<string, number> | null): boolean {
  // The type admits only known names; one that arrived past it (a cast) would read as 0 and silently skew the rule.
  if (!BADGE_FIGURES.has(rule.figure)) throw new RangeError(`unknown badge figure "${rule.figure}"`);
  let value: number;
  if (isChange(rule.figure)) {
    if (!change) return false;
    // Every compared figure is in `change`; an hours figure is absent when neither week had that category: no change.
    value = change[rule.figure.slice("change.".length)] ?? 0;
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

/** The badges of `catalogue` the week earns, in catalogue order. */
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
