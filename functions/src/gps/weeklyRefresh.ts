/**
 * The write side of the weekly statistics: after an upload stores new points, every week whose statistics read a
 * touched day is recomputed and stored (only when it changed), so `GET /v1/stats/weekly` serves a stored document
 * and never recomputes from points. Best effort: the points are stored whatever happens here, and the weekly
 * schedule recomputes the week just finished for every user anyway.
 */
import * as logs from "../core/logs";
import { seoulDay } from "../core/seoulTime";
import { isoWeekOf } from "./points";
import { refreshWeeklyStats, weeksReadingDay } from "./service";
import type { GpsStore } from "./store";

export async function refreshTouchedWeeks(store: GpsStore, uid: string, days: readonly string[], nowMs: number): Promise<string[]> {
  const current = isoWeekOf(seoulDay(nowMs));
  const touched = [...new Set(days.flatMap(weeksReadingDay))].filter((week) => week <= current).sort();
  const refreshed: string[] = [];
  for (const week of touched) {
    try {
      await refreshWeeklyStats(store, uid, week);
      refreshed.push(week);
    } catch (err) {
      logs.error("gps_weekly_stats_refresh_failed", err, { uid, week });
    }
  }
  return refreshed;
}
