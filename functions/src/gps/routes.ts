/**
 * The GPS routes of the api: uploads (v1 and the original app's body), the daily path, labelled places and weekly
 * statistics. The uid is always the token's; a uid in the body is ignored. Reads never write: the weekly statistics
 * are computed on the write side (after an upload, and by the weekly schedule) and served as stored.
 */
import { z } from "zod";
import { HttpError, badRequest, retryLater } from "../http/errors";
import type { RateLimiter } from "../http/rateLimit";
import { defineRoute, errorResponse, validBody } from "../http/route";
import type { Route } from "../http/types";
import * as logs from "../core/logs";
import { MAX_POINTS_PER_DAY, type StoredPoint, isCalendarDay, mondayOfIsoWeek } from "./points";
import {
  MAX_DAYS_PER_REQUEST, MAX_PLACES, MAX_POINTS_PER_REQUEST, PLACE_ID, legacyBodySchema, legacyPointSchema, placeBodySchema,
  v1BodySchema, v1PointSchema, validatePoints,
} from "./schema";
import { TooManyDaysError, dailyPath, ingestPoints } from "./service";
import { weeklyStatsSchema } from "./stats";
import { DayCapacityError, type GpsStore, StoreContendedError } from "./store";
import { refreshTouchedWeeks } from "./weeklyRefresh";

export interface GpsRouteDeps {
  gps: GpsStore;
  now: () => number;
  /** Points a user may upload, spent per accepted point; an empty quota answers 429 `upload_quota_exceeded`. */
  uploadQuota?: RateLimiter;
}

/** Points one user may upload per 24 h (refilled continuously): 1 fix a second all day, with room for retries. */
export const UPLOAD_POINTS_PER_DAY = 100_000;

const DEPRECATED = { since: "2026-12-02", sunset: "2027-06-30" };

const uploaded = z.object({
  received: z.number().int(),
  inserted: z.number().int(),
  duplicates: z.number().int(),
  days: z.array(z.string()),
});
const uploadResponses = {
  200: { description: "the points are stored (a re-sent point is counted as a duplicate and not stored twice)", schema: uploaded },
  400: errorResponse("`invalid_points` (each bad point by index, field and reason) or `invalid_body`"),
  413: errorResponse("`too_many_points`, `too_many_days` or `day_capacity_exceeded`"),
  429: errorResponse("`rate_limited` or `upload_quota_exceeded`; retry after `Retry-After` seconds"),
  503: errorResponse("`upload_contended`: other uploads to the same day kept the write from committing; nothing was stored, re-send after `Retry-After` seconds"),
};

/** How long a client waits before re-sending an upload that met contention (nothing of it was stored). */
const CONTENDED_RETRY_AFTER_SECONDS = 2;

const placeIdParams = z.object({ id: z.string().regex(PLACE_ID, "a place id is 1-64 letters, digits, _ or -") });
const placeWithoutId = placeBodySchema.omit({ id: true });
const dateQuery = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
    .refine(isCalendarDay, "not a calendar date")
    .meta({ description: "Asia/Seoul day, YYYY-MM-DD" }),
});
const weekQuery = z.object({
  week: z
    .string()
    .regex(/^\d{4}-W\d{2}$/, "expected an ISO week YYYY-Www")
    .refine((w) => mondayOfIsoWeek(w) !== undefined, "no such ISO week")
    .meta({ description: "ISO week, YYYY-Www (Asia/Seoul)" }),
});
const dailyPathSchema = z.looseObject({ date: z.string(), stays: z.array(z.looseObject({ category: z.string() })) });

const rejectPoints = (result: ReturnType<typeof validatePoints>): StoredPoint[] => {
  if (result.ok) return result.points;
  if ("tooMany" in result) throw new HttpError(413, "too_many_points", { maxPoints: MAX_POINTS_PER_REQUEST, received: result.tooMany });
  throw badRequest("invalid_points", { invalidCount: result.invalidCount, first: result.invalid });
};

async function upload(deps: GpsRouteDeps, uid: string, points: StoredPoint[]) {
  if (deps.uploadQuota && points.length > 0) {
    const decision = await deps.uploadQuota.take(uid, points.length);
    if (!decision.allowed) throw retryLater(429, "upload_quota_exceeded", decision.retryAfterSeconds, { pointsPerDay: UPLOAD_POINTS_PER_DAY });
  }
  try {
    const added = await ingestPoints(deps.gps, uid, points);
    logs.info("gps_points_ingested", { uid, received: points.length, ...added });
    if (added.inserted > 0) await refreshTouchedWeeks(deps.gps, uid, added.days, deps.now());
    return { status: 200, body: { received: points.length, inserted: added.inserted, duplicates: added.duplicates, days: added.days } };
  } catch (err) {
    if (err instanceof TooManyDaysError) {
      throw new HttpError(413, "too_many_days", { maxDays: MAX_DAYS_PER_REQUEST, received: err.days });
    }
    if (err instanceof DayCapacityError) {
      throw new HttpError(413, "day_capacity_exceeded", { day: err.day, maxPointsPerDay: MAX_POINTS_PER_DAY });
    }
    if (err instanceof StoreContendedError) {
      throw retryLater(503, "upload_contended", CONTENDED_RETRY_AFTER_SECONDS, { stored: 0 });
    }
    throw err;
  }
}

async function putPlace(deps: GpsRouteDeps, uid: string, place: z.output<typeof placeBodySchema>) {
  const existing = await deps.gps.listPlaces(uid);
  if (existing.length >= MAX_PLACES && !existing.some((p) => p.id === place.id)) {
    throw new HttpError(409, "too_many_places", { maxPlaces: MAX_PLACES });
  }
  await deps.gps.putPlace(uid, place);
  return { status: 200, body: { place } };
}

async function deletePlace(deps: GpsRouteDeps, uid: string, id: string) {
  if (!(await deps.gps.deletePlace(uid, id))) throw new HttpError(404, "no_such_place", { id });
  return { status: 200, body: { deleted: id } };
}

const placeResponses = {
  200: { description: "the place as stored", schema: z.object({ place: placeBodySchema }) },
  409: errorResponse(`the user already has ${MAX_PLACES} places (\`too_many_places\`)`),
};
const deleteResponses = {
  200: { description: "the place was deleted", schema: z.object({ deleted: z.string() }) },
  404: errorResponse("the caller has no place with this id (`no_such_place`)"),
};

/** An upload body: `schema` documents it, `points` picks its list once the body's shape is checked. */
interface UploadBody {
  schema: z.ZodType;
  points: (raw: unknown) => readonly unknown[];
  /** The original app's points (`coordinate`, `time`) rather than v1's (`lat`, `lng`, `t`). */
  legacy: boolean;
}

const V1_UPLOAD: UploadBody = {
  schema: z.object({ points: z.array(v1PointSchema).max(MAX_POINTS_PER_REQUEST) }),
  points: (raw) => validBody(v1BodySchema, raw).points,
  legacy: false,
};
const LEGACY_UPLOAD: UploadBody = {
  schema: legacyBodySchema.extend({ timeSequence: z.array(legacyPointSchema).max(MAX_POINTS_PER_REQUEST) }),
  points: (raw) => validBody(legacyBodySchema, raw).timeSequence,
  legacy: true,
};

/** Both upload routes: the body checked whole, then point by point so a rejection names each bad index. */
function uploadRoute(deps: GpsRouteDeps, path: string, summary: string, body: UploadBody): Route {
  return defineRoute({
    method: "POST",
    path,
    summary,
    tags: ["gps"],
    body: body.schema,
    parseBody: (raw) => rejectPoints(validatePoints(body.points(raw), body.legacy, deps.now())),
    responses: uploadResponses,
    handler: ({ uid, body: points }) => upload(deps, uid, points),
  });
}

export function gpsRoutes(deps: GpsRouteDeps): Route[] {
  return [
    uploadRoute(deps, "/v1/gps-logs", "Upload GPS fixes (idempotent: re-sent points are not stored twice)", V1_UPLOAD),
    uploadRoute(deps, "/path/daily", "The original app's upload body, unchanged (`user`, `uuid` and `fcmToken` are ignored)", LEGACY_UPLOAD),
    defineRoute({
      method: "GET",
      path: "/v1/places",
      summary: "The caller's labelled places",
      tags: ["gps"],
      responses: { 200: { description: "every place of the caller", schema: z.object({ places: z.array(placeBodySchema) }) } },
      handler: async ({ uid }) => ({ status: 200, body: { places: await deps.gps.listPlaces(uid) } }),
    }),
    defineRoute({
      method: "PUT",
      path: "/v1/places/{id}",
      summary: "Create or replace the caller's place with this id (idempotent)",
      tags: ["gps"],
      params: placeIdParams,
      body: placeWithoutId,
      responses: placeResponses,
      handler: ({ uid, params, body }) => putPlace(deps, uid, { ...body, id: params.id }),
    }),
    defineRoute({
      method: "DELETE",
      path: "/v1/places/{id}",
      summary: "Delete the caller's place with this id",
      tags: ["gps"],
      params: placeIdParams,
      responses: deleteResponses,
      handler: ({ uid, params }) => deletePlace(deps, uid, params.id),
    }),
    defineRoute({
      method: "PUT",
      path: "/v1/places",
      summary: "Deprecated: create or replace with the id in the body; use PUT /v1/places/{id}",
      tags: ["gps"],
      body: placeBodySchema,
      responses: placeResponses,
      deprecated: { ...DEPRECATED, successor: "PUT /v1/places/{id}" },
      handler: ({ uid, body }) => putPlace(deps, uid, body),
    }),
    defineRoute({
      method: "DELETE",
      path: "/v1/places",
      summary: "Deprecated: delete with the id in the query (`?id=`); use DELETE /v1/places/{id}",
      tags: ["gps"],
      query: z.object({ id: z.string().regex(PLACE_ID, "expected a place id") }),
      responses: deleteResponses,
      deprecated: { ...DEPRECATED, successor: "DELETE /v1/places/{id}" },
      handler: ({ uid, query }) => deletePlace(deps, uid, query.id),
    }),
    defineRoute({
      method: "GET",
      path: "/v1/paths/daily",
      summary: "The caller's stays and moves of one day, computed from the stored points",
      tags: ["gps"],
      query: dateQuery,
      responses: { 200: { description: "the day's path (empty stays when there are no points)", schema: dailyPathSchema } },
      handler: async ({ uid, query }) => ({ status: 200, body: await dailyPath(deps.gps, uid, query.date) }),
    }),
    defineRoute({
      method: "GET",
      path: "/v1/stats/weekly",
      summary: "The caller's weekly statistics, as stored after the last upload or the weekly run",
      tags: ["gps"],
      query: weekQuery,
      responses: {
        200: { description: "the stored statistics of the week", schema: weeklyStatsSchema },
        404: errorResponse("no statistics stored for the week: no points in it (`no_logs_in_week`)"),
      },
      handler: async ({ uid, query }) => {
        const stats = await deps.gps.getWeeklyStats(uid, query.week);
        if (!stats) throw new HttpError(404, "no_logs_in_week", { week: query.week });
        return { status: 200, body: stats };
      },
    }),
  ];
}
