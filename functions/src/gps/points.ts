/**
 * Stored GPS points: canonical order, deduplication, calendar days and ISO weeks (the Seoul day of a point is
 * core/seoulTime.ts), and the compact binary encoding of a day bucket. Pure; the store and the statistics build on it.
 */
import { DAY_MS } from "../core/seoulTime";
import type { GpsPoint } from "./staypoints";

export interface StoredPoint extends GpsPoint {
  accuracy?: number;
  speed?: number;
}

/** 24 bytes a point: float64 t, int32 lat and lng in 1e-7 degrees (1.1 cm), float32 accuracy and speed. */
export const BYTES_PER_POINT = 24;
/** 960,000 bytes of points, comfortably under Firestore's 1 MiB document limit with the other fields. */
export const MAX_POINTS_PER_DAY = 40_000;
const E7 = 1e7;

/** Canonical order: by time, then coordinates, so equal inputs give equal arrays whatever the upload order. */
function comparePoints(a: GpsPoint, b: GpsPoint): number {
  return a.t - b.t || a.lat - b.lat || a.lng - b.lng;
}

/** Rounds to what the bucket encoding keeps, so a re-sent point is recognised as the one already stored. */
export function quantize<P extends StoredPoint>(p: P): StoredPoint {
  const q: StoredPoint = { t: Math.round(p.t), lat: Math.round(p.lat * E7) / E7, lng: Math.round(p.lng * E7) / E7 };
  if (p.accuracy !== undefined) q.accuracy = Math.fround(p.accuracy);
  if (p.speed !== undefined) q.speed = Math.fround(p.speed);
  return q;
}

/**
 * Merges new points into an already canonical array: sorted, one point per (t, lat, lng); on a duplicate the stored
 * point wins, so a retry never changes what was stored.
 */
export function mergePoints<P extends GpsPoint>(stored: readonly P[], incoming: readonly P[]): P[] {
  const fresh = incoming.slice().sort(comparePoints);
  const out: P[] = [];
  let i = 0;
  let j = 0;
  const push = (p: P): void => {
    const last = out[out.length - 1];
    if (!last || comparePoints(last, p) !== 0) out.push(p);
  };
  while (i < stored.length || j < fresh.length) {
    const a = stored[i];
    const b = fresh[j];
    if (a && (!b || comparePoints(a, b) <= 0)) {
      push(a);
      i++;
    } else if (b) {
      push(b);
      j++;
    }
  }
  return out;
}

/** Whether `day` (`YYYY-MM-DD`) is on the calendar: Date.parse rolls 2026-02-30 over to March instead of refusing it. */
export function isCalendarDay(day: string): boolean {
  const midnight = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(midnight) && new Date(midnight).toISOString().startsWith(day);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** ISO week `YYYY-Www` of a calendar day. */
export function isoWeekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(d.getTime() + (3 - dow) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** The Monday (`YYYY-MM-DD`) of an ISO week, or undefined when `week` is not a valid `YYYY-Www`. */
export function mondayOfIsoWeek(week: string): string | undefined {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return undefined;
  const year = Number(m[1]);
  const n = Number(m[2]);
  const jan4 = Date.UTC(year, 0, 4);
  const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS + (n - 1) * 7 * DAY_MS;
  const day = new Date(monday).toISOString().slice(0, 10);
  return n >= 1 && isoWeekOf(day) === week ? day : undefined;
}

/**
 * The bucket layout's version, stored beside the bytes as `encoding`. Version 1 is the 24-byte layout above. Buckets
 * written before the field existed carry none and are read as version 1: that layout is the only one ever written, so
 * a missing field is unambiguous. A new layout takes the next number; a reader refuses a version it does not know
 * (UnknownBucketEncodingError) rather than misread the bytes, and the upload that would rewrite the bucket fails too.
 */
export const BUCKET_ENCODING = 1;
/** What a bucket without `encoding` holds: fixed at 1, whatever BUCKET_ENCODING becomes. */
const LEGACY_BUCKET_ENCODING = 1;

export class UnknownBucketEncodingError extends Error {
  constructor(readonly encoding: number) {
    super(`GPS bucket encoding ${encoding} is unknown: this code reads encoding ${BUCKET_ENCODING} only`);
    this.name = "UnknownBucketEncodingError";
  }
}

/** Writes the current encoding, BUCKET_ENCODING. */
export function encodePoints(points: readonly StoredPoint[]): Uint8Array {
  const bytes = new Uint8Array(points.length * BYTES_PER_POINT);
  const view = new DataView(bytes.buffer);
  points.forEach((p, i) => {
    const o = i * BYTES_PER_POINT;
    view.setFloat64(o, p.t, true);
    view.setInt32(o + 8, Math.round(p.lat * E7), true);
    view.setInt32(o + 12, Math.round(p.lng * E7), true);
    view.setFloat32(o + 16, p.accuracy ?? Number.NaN, true);
    view.setFloat32(o + 20, p.speed ?? Number.NaN, true);
  });
  return bytes;
}

/** Reads a bucket of the given encoding; `undefined` (a bucket from before the field) is version 1. */
export function decodePoints(bytes: Uint8Array, encoding: number = LEGACY_BUCKET_ENCODING): StoredPoint[] {
  if (encoding !== BUCKET_ENCODING) throw new UnknownBucketEncodingError(encoding);
  if (bytes.length % BYTES_PER_POINT !== 0) throw new RangeError(`bucket length ${bytes.length} is not a multiple of ${BYTES_PER_POINT}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: StoredPoint[] = [];
  for (let o = 0; o < bytes.length; o += BYTES_PER_POINT) {
    const p: StoredPoint = { t: view.getFloat64(o, true), lat: view.getInt32(o + 8, true) / E7, lng: view.getInt32(o + 12, true) / E7 };
    const accuracy = view.getFloat32(o + 16, true);
    const speed = view.getFloat32(o + 20, true);
    if (!Number.isNaN(accuracy)) p.accuracy = accuracy;
    if (!Number.isNaN(speed)) p.speed = speed;
    out.push(p);
  }
  return out;
}
