/**
 * What the apps may send: the v1 body and the original app's `path/daily` body, validated point by point so a
 * rejection can name every offending index. Limits are documented in docs/gps.md.
 */
import { z } from "zod";
import { type IssueDetail, issueDetails } from "../core/zodIssues";
import { SEOUL_OFFSET_MS } from "../core/seoulTime";
import { parseIsoWithOffset } from "./isoTime";
import type { StoredPoint } from "./points";

/** Points per request; a week at 30 s sampling (20,160 points) goes up in three requests. */
export const MAX_POINTS_PER_REQUEST = 10_000;
/** Asia/Seoul days one request may touch: a month of backlog, and a bound on the documents one transaction writes. */
export const MAX_DAYS_PER_REQUEST = 31;
/** Offending points listed in a 400, so a bad body of 10,000 points does not produce a megabyte of details. */
const MAX_REPORTED_INDEXES = 20;
/** Fixes older than this are not from a phone running this app. */
const EARLIEST_MS = Date.UTC(2000, 0, 1);
/** Phones' clocks run a little ahead; anything further in the future is a bad clock or a bad value. */
const MAX_FUTURE_MS = 10 * 60_000;

const LEGACY_LOCAL = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d{1,6})?$/;

const epochMs = z.number().int("epoch milliseconds must be an integer");
const isoTime = z
  .string()
  .meta({ description: "ISO-8601 with an offset: YYYY-MM-DD(T| )hh:mm[:ss[.fraction]](Z|±hh|±hhmm|±hh:mm)" })
  .transform((s, ctx) => {
    const ms = parseIsoWithOffset(s);
    if (typeof ms === "number") return ms;
    // A wrong shape is a format issue, so that a union's error names another option that got further.
    if (ms === "format") ctx.addIssue({ code: "invalid_format", format: "iso-8601-with-offset", input: s, message: "expected ISO-8601 with an offset, e.g. 2026-11-16T09:30:00+09:00" });
    else ctx.addIssue({ code: "custom", input: s, message: "not a calendar date" });
    return z.NEVER;
  });

const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);

export const v1PointSchema = z.object({
  t: z.union([epochMs, isoTime]),
  lat: latitude,
  lng: longitude,
  accuracy: z.number().min(0).max(100_000).optional(),
  speed: z.number().min(0).max(1_000).optional(),
});

/**
 * The original app's `time`: epoch ms, ISO-8601 with an offset, or the Django-style local `YYYY-MM-DD HH:MM:SS`,
 * which the original server read as Asia/Seoul time.
 */
const legacyTime = z.union([
  epochMs,
  z.string().regex(/^\d{12,14}$/, "expected epoch ms, ISO-8601 with an offset or YYYY-MM-DD HH:MM:SS (Asia/Seoul)").transform(Number),
  isoTime,
  z
    .string()
    .regex(LEGACY_LOCAL, "expected epoch ms, ISO-8601 or YYYY-MM-DD HH:MM:SS (Asia/Seoul)")
    .transform((s, ctx) => {
      const m = LEGACY_LOCAL.exec(s) as RegExpExecArray;
      const utc = parseIsoWithOffset(`${m[1]}T${m[2]}${m[3] ?? ""}Z`);
      if (typeof utc === "number") return utc - SEOUL_OFFSET_MS;
      ctx.addIssue({ code: "custom", message: "not a calendar date" });
      return z.NEVER;
    }),
]);

export const legacyPointSchema = z.object({
  coordinate: z.object({ latitude, longitude }),
  time: legacyTime,
});

export const v1BodySchema = z.object({ points: z.array(z.unknown()) });
export const legacyBodySchema = z.object({
  user: z.string().optional(),
  uuid: z.string().optional(),
  timeSequence: z.array(z.unknown()),
  fcmToken: z.string().optional(),
});

interface PointIssue {
  index: number;
  issues: IssueDetail[];
}

export type PointsResult =
  | { ok: true; points: StoredPoint[] }
  | { ok: false; tooMany: number }
  | { ok: false; invalid: PointIssue[]; invalidCount: number };

/** Validates every point; the caller rejects the whole body when any is bad. */
export function validatePoints(raw: readonly unknown[], legacy: boolean, nowMs: number): PointsResult {
  if (raw.length > MAX_POINTS_PER_REQUEST) return { ok: false, tooMany: raw.length };
  const points: StoredPoint[] = [];
  const invalid: PointIssue[] = [];
  let invalidCount = 0;
  const latest = nowMs + MAX_FUTURE_MS;
  raw.forEach((item, index) => {
    let point: StoredPoint | undefined;
    let issues: IssueDetail[] = [];
    if (legacy) {
      const parsed = legacyPointSchema.safeParse(item);
      if (parsed.success) {
        point = { t: parsed.data.time, lat: parsed.data.coordinate.latitude, lng: parsed.data.coordinate.longitude };
      } else {
        issues = issueDetails(parsed.error.issues);
      }
    } else {
      const parsed = v1PointSchema.safeParse(item);
      if (parsed.success) {
        point = { t: parsed.data.t, lat: parsed.data.lat, lng: parsed.data.lng };
        if (parsed.data.accuracy !== undefined) point.accuracy = parsed.data.accuracy;
        if (parsed.data.speed !== undefined) point.speed = parsed.data.speed;
      } else {
        issues = issueDetails(parsed.error.issues);
      }
    }
    if (point && (point.t < EARLIEST_MS || point.t > latest)) {
      issues = [{ path: legacy ? "time" : "t", message: `outside ${new Date(EARLIEST_MS).toISOString()} .. now + ${MAX_FUTURE_MS / 60_000} min` }];
      point = undefined;
    }
    if (point) {
      points.push(point);
    } else {
      invalidCount++;
      if (invalid.length < MAX_REPORTED_INDEXES) invalid.push({ index, issues });
    }
  });
  return invalidCount > 0 ? { ok: false, invalid, invalidCount } : { ok: true, points };
}

/** Labelled places a user may keep; enough for every place of a life, few enough to check each stay against. */
export const MAX_PLACES = 100;

/** A place id: it is a document id, so no `/`. */
export const PLACE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const placeBodySchema = z.object({
  id: z.string().regex(PLACE_ID, "1-64 letters, digits, _ or -"),
  name: z.string().trim().min(1).max(100),
  // Categories become share keys and `hours.<category>` figure names: no dots, and not the two reserved keys.
  category: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[^.]+$/, "must not contain '.'")
    .refine((c) => c !== "moving" && c !== "unknown", "moving and unknown are reserved"),
  lat: latitude,
  lng: longitude,
  radiusMeters: z.number().min(10).max(5_000),
});
/** A place the user labelled, as the api takes and returns it. */
export type LabelledPlace = z.infer<typeof placeBodySchema>;
/** `gpsUsers/{uid}/places/{id}`: the api's place without its id, which is the document's. */
export const storedPlaceSchema = placeBodySchema.omit({ id: true });
