/**
 * The GPS routes of the api: uploads (v1 and the original app's body), the daily path and weekly statistics.
 * The uid is always the token's; a uid in the body is ignored.
 */
import { HttpError, badRequest } from "../http/errors";
import type { Route, RouteContext, RouteResult } from "../http/types";
import { parseBody } from "../http/validate";
import * as logs from "../logs";
import { MAX_POINTS_PER_DAY, isCalendarDay, mondayOfIsoWeek } from "./points";
import { MAX_DAYS_PER_REQUEST, MAX_PLACES, MAX_POINTS_PER_REQUEST, PLACE_ID, legacyBodySchema, placeBodySchema, v1BodySchema, validatePoints } from "./schema";
import { TooManyDaysError, dailyPath, ingestPoints, isFinishedWeek, refreshFinishedWeeks, refreshWeeklyStats } from "./service";
import { DayCapacityError, type GpsStore, StoreContendedError } from "./store";

export interface GpsRouteDeps {
  gps: GpsStore;
  now: () => number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** How long a client waits before re-sending an upload that met contention (nothing of it was stored). */
export const CONTENDED_RETRY_AFTER_SECONDS = 2;

async function upload(deps: GpsRouteDeps, ctx: RouteContext, legacy: boolean): Promise<RouteResult> {
  const raw = legacy ? parseBody(legacyBodySchema, ctx.body).timeSequence : parseBody(v1BodySchema, ctx.body).points;
  const result = validatePoints(raw, legacy, deps.now());
  if (!result.ok) {
    if ("tooMany" in result) throw new HttpError(413, "too_many_points", { maxPoints: MAX_POINTS_PER_REQUEST, received: result.tooMany });
    throw badRequest("invalid_points", { invalidCount: result.invalidCount, first: result.invalid });
  }
  try {
    const added = await ingestPoints(deps.gps, ctx.uid, result.points);
    logs.info("gps_points_ingested", { uid: ctx.uid, received: result.points.length, ...added });
    if (added.inserted > 0) await refreshFinishedWeeks(deps.gps, ctx.uid, added.days, deps.now());
    return { status: 200, body: { received: result.points.length, inserted: added.inserted, duplicates: added.duplicates, days: added.days } };
  } catch (err) {
    if (err instanceof TooManyDaysError) {
      throw new HttpError(413, "too_many_days", { maxDays: MAX_DAYS_PER_REQUEST, received: err.days });
    }
    if (err instanceof DayCapacityError) {
      throw new HttpError(413, "day_capacity_exceeded", { day: err.day, maxPointsPerDay: MAX_POINTS_PER_DAY });
    }
    if (err instanceof StoreContendedError) {
      throw new HttpError(503, "upload_contended", { retryAfterSeconds: CONTENDED_RETRY_AFTER_SECONDS, stored: 0 }, {
        "Retry-After": String(CONTENDED_RETRY_AFTER_SECONDS),
      });
    }
    throw err;
  }
}


export function gpsRoutes(deps: GpsRouteDeps): Route[] {
  return [
    { method: "POST", path: "/v1/gps-logs", handler: (ctx) => upload(deps, ctx, false) },
    { method: "POST", path: "/path/daily", handler: (ctx) => upload(deps, ctx, true) },
    {
      method: "GET",
      path: "/v1/places",
      handler: async (ctx) => ({ status: 200, body: { places: await deps.gps.listPlaces(ctx.uid) } }),
    },
    {
      method: "PUT",
      path: "/v1/places",
      handler: async (ctx) => {
        const place = parseBody(placeBodySchema, ctx.body);
        const existing = await deps.gps.listPlaces(ctx.uid);
        if (existing.length >= MAX_PLACES && !existing.some((p) => p.id === place.id)) {
          throw new HttpError(409, "too_many_places", { maxPlaces: MAX_PLACES });
        }
        await deps.gps.putPlace(ctx.uid, place);
        return { status: 200, body: { place } };
      },
    },
    {
      method: "DELETE",
      path: "/v1/places",
      handler: async (ctx) => {
        const id = ctx.query.get("id") ?? "";
        if (!PLACE_ID.test(id)) throw badRequest("invalid_query", [{ path: "id", message: "expected a place id" }]);
        if (!(await deps.gps.deletePlace(ctx.uid, id))) throw new HttpError(404, "no_such_place", { id });
        return { status: 200, body: { deleted: id } };
      },
    },
    {
      method: "GET",
      path: "/v1/paths/daily",
      handler: async (ctx) => {
        const date = ctx.query.get("date") ?? "";
        if (!DATE.test(date) || !isCalendarDay(date)) throw badRequest("invalid_query", [{ path: "date", message: "expected YYYY-MM-DD" }]);
        return { status: 200, body: await dailyPath(deps.gps, ctx.uid, date) };
      },
    },
    {
      method: "GET",
      path: "/v1/stats/weekly",
      handler: async (ctx) => {
        const week = ctx.query.get("week") ?? "";
        if (!mondayOfIsoWeek(week)) throw badRequest("invalid_query", [{ path: "week", message: "expected an ISO week YYYY-Www" }]);
        // Serving recomputes, so a late upload shows at once; only a finished week is stored (and only if changed).
        const stats = await refreshWeeklyStats(deps.gps, ctx.uid, week, isFinishedWeek(week, deps.now()));
        if (!stats) throw new HttpError(404, "no_logs_in_week", { week });
        return { status: 200, body: stats };
      },
    },
  ];
}
