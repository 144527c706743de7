/**
 * The GPS use cases over the store: ingest, the daily path, weekly statistics. Routes and the scheduled trigger
 * only parse and call these.
 */
import { Pool } from "../core/pool";
import * as logs from "../core/logs";
import { seoulDay } from "../core/seoulTime";
import { type StoredPoint, addDays, isoWeekOf, mondayOfIsoWeek } from "./points";
import { MAX_DAYS_PER_REQUEST } from "./schema";
import { type WeeklyStats, computeWeeklyStats, weeklyStatsDays } from "./stats";
import type { AddPointsResult, GpsStore } from "./store";
import { type DailyPath, buildDailyPath, dailyPathDays } from "./timeline";

function groupByDay(points: readonly StoredPoint[]): Map<string, StoredPoint[]> {
  const byDay = new Map<string, StoredPoint[]>();
  for (const p of points) {
    const day = seoulDay(p.t);
    const list = byDay.get(day);
    if (list) list.push(p);
    else byDay.set(day, [p]);
  }
  return byDay;
}

export class TooManyDaysError extends Error {
  constructor(readonly days: number) {
    super(`points span ${days} days (max ${MAX_DAYS_PER_REQUEST})`);
    this.name = "TooManyDaysError";
  }
}

export function ingestPoints(store: GpsStore, uid: string, points: readonly StoredPoint[]): Promise<AddPointsResult> {
  const byDay = groupByDay(points);
  if (byDay.size > MAX_DAYS_PER_REQUEST) return Promise.reject(new TooManyDaysError(byDay.size));
  return store.addPoints(uid, byDay);
}

export async function dailyPath(store: GpsStore, uid: string, date: string): Promise<DailyPath> {
  const [points, places] = await Promise.all([store.readDays(uid, dailyPathDays(date)), store.listPlaces(uid)]);
  return buildDailyPath(date, points, places);
}

/**
 * Computes the week from the stored points and, if `persist`, stores it when it changed; null when the user has no
 * points in it.
 */
export async function refreshWeeklyStats(store: GpsStore, uid: string, week: string, persist = true): Promise<WeeklyStats | null> {
  const monday = mondayOfIsoWeek(week);
  if (!monday) throw new RangeError(`not an ISO week: ${week}`);
  const [points, places] = await Promise.all([store.readDays(uid, weeklyStatsDays(monday)), store.listPlaces(uid)]);
  const stats = computeWeeklyStats(uid, week, monday, points, places);
  if (stats && persist) await store.putWeeklyStats(uid, stats);
  return stats;
}

/**
 * The weeks whose statistics read `day`'s points (see weeklyStatsDays): its own week, the week after (`previous`),
 * the week before when `day` is a Monday and the week after next when it is a Sunday (stays crossing midnight).
 */
export function weeksReadingDay(day: string): string[] {
  const weeks: string[] = [];
  for (const offset of [-7, 0, 7, 14]) {
    const week = isoWeekOf(addDays(day, offset));
    if (weeklyStatsDays(mondayOfIsoWeek(week) as string).includes(day)) weeks.push(week);
  }
  return weeks;
}

/** The ISO week that ended before `nowMs` (Asia/Seoul): run on Monday 00:30 it is the Monday–Sunday just finished. */
export function lastFinishedWeek(nowMs: number): string {
  const today = seoulDay(nowMs);
  const monday = mondayOfIsoWeek(isoWeekOf(today)) as string;
  return isoWeekOf(addDays(monday, -1));
}

export interface WeeklyRunResult {
  week: string;
  users: number;
  failed: number;
  pages: number;
  /** The cursor handed to a continuation when the time budget ran out; absent when the week is done. */
  continuedAfter?: string;
}

/** Hands the rest of a week's users (after `afterUid`) to another invocation. */
export type WeeklyContinuation = (week: string, afterUid: string) => Promise<void>;

export interface WeeklyRunOptions {
  pageSize: number;
  /** Users computed at once within a page. */
  concurrency: number;
  now: () => number;
  /** No new page starts at or after this instant: the rest goes to `continueLater`. */
  deadlineMs: number;
  continueLater: WeeklyContinuation;
}

/**
 * The users with points in `week` after `afterUid`, a page at a time, `concurrency` users at once. One user's
 * failure is logged and counted, never stops the rest; re-running is harmless because unchanged weeks are not
 * rewritten. When the time budget runs out the run hands its cursor to a continuation instead of being cut off.
 */
export async function runWeeklyStats(
  store: GpsStore,
  week: string,
  afterUid: string | undefined,
  options: WeeklyRunOptions,
): Promise<WeeklyRunResult> {
  let after = afterUid;
  let users = 0;
  let failed = 0;
  let pages = 0;
  for (;;) {
    if (pages > 0 && after !== undefined && options.now() >= options.deadlineMs) {
      await options.continueLater(week, after);
      logs.info("gps_weekly_stats_continued", { week, users, failed, pages, after });
      return { week, users, failed, pages, continuedAfter: after };
    }
    const uids = await store.listUsersWithLogs(week, after, options.pageSize);
    if (uids.length === 0) break;
    pages++;
    const pool = new Pool(options.concurrency);
    for (const uid of uids) {
      await pool.run(async () => {
        try {
          await refreshWeeklyStats(store, uid, week);
          users++;
        } catch (err) {
          failed++;
          logs.error("gps_weekly_stats_user_failed", err, { uid, week });
        }
      });
    }
    await pool.drain();
    after = uids[uids.length - 1];
    if (uids.length < options.pageSize) break;
  }
  logs.info("gps_weekly_stats_done", { week, users, failed, pages });
  return { week, users, failed, pages };
}
