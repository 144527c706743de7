/**
 * Firestore implementation of the GPS store. Layout (see docs/gps.md):
 *   gpsUsers/{uid}/gpsDays/{YYYY-MM-DD}   {uid, day, week, count, points: bytes (24 B a point), updatedAt}
 *   gpsUsers/{uid}/places/{placeId}       {name, category, lat, lng, radiusMeters}
 *   gpsUsers/{uid}/weeklyStats/{YYYY-Www} the WeeklyStats document
 * Listing users by week is a collection-group query on `gpsDays` (composite index week ASC, uid ASC).
 */
import type { DocumentReference, Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import { firestore } from "../admin";
import * as logs from "../logs";
import type { LabelledPlace } from "./categories";
import { type StoredPoint, decodePoints, encodePoints, isoWeekOf } from "./points";
import { type WeeklyStats, sameStats, weeklyStatsSchema } from "./stats";
import { type AddPointsResult, type GpsStore, mergeDay } from "./store";

const dayDocSchema = z.object({
  uid: z.string(),
  day: z.string(),
  count: z.number().int().nonnegative(),
  points: z.instanceof(Uint8Array),
});

const placeDocSchema = z.object({
  name: z.string(),
  category: z.string().min(1),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  radiusMeters: z.number().positive().max(10_000),
});

export class FirestoreGpsStore implements GpsStore {
  constructor(private readonly db: () => Firestore = firestore) {}

  private user(uid: string): DocumentReference {
    return this.db().collection("gpsUsers").doc(uid);
  }

  private static points(data: unknown, path: string): StoredPoint[] {
    const doc = dayDocSchema.safeParse(data);
    if (!doc.success) throw new Error(`malformed GPS day document ${path}: ${doc.error.message}`);
    const points = decodePoints(doc.data.points);
    if (points.length !== doc.data.count) throw new Error(`GPS day document ${path} holds ${points.length} points, says ${doc.data.count}`);
    return points;
  }

  async addPoints(uid: string, byDay: ReadonlyMap<string, readonly StoredPoint[]>): Promise<AddPointsResult> {
    const db = this.db();
    const { FieldValue } = await import("firebase-admin/firestore");
    const days = [...byDay.keys()].sort();
    const refs = days.map((day) => this.user(uid).collection("gpsDays").doc(day));
    return db.runTransaction(async (tx) => {
      const snaps = refs.length ? await tx.getAll(...refs) : [];
      let inserted = 0;
      let received = 0;
      const staged: [DocumentReference, StoredPoint[], string][] = [];
      snaps.forEach((snap, i) => {
        const day = days[i] as string;
        const incoming = byDay.get(day) ?? [];
        received += incoming.length;
        const stored = snap.exists ? FirestoreGpsStore.points(snap.data(), snap.ref.path) : [];
        const merged = mergeDay(day, stored, incoming);
        inserted += merged.inserted;
        if (merged.inserted > 0) staged.push([snap.ref, merged.points, day]);
      });
      for (const [ref, points, day] of staged) {
        tx.set(ref, { uid, day, week: isoWeekOf(day), count: points.length, points: Buffer.from(encodePoints(points)), updatedAt: FieldValue.serverTimestamp() });
      }
      return { inserted, duplicates: received - inserted, writes: staged.length, days };
    });
  }

  async readDays(uid: string, days: readonly string[]): Promise<StoredPoint[]> {
    const unique = [...new Set(days)].sort();
    if (unique.length === 0) return [];
    const snaps = await this.db().getAll(...unique.map((d) => this.user(uid).collection("gpsDays").doc(d)));
    return snaps.flatMap((s) => (s.exists ? FirestoreGpsStore.points(s.data(), s.ref.path) : []));
  }

  async listUsersWithLogs(week: string, afterUid: string | undefined, limit: number): Promise<string[]> {
    let query = this.db().collectionGroup("gpsDays").where("week", "==", week).orderBy("uid").select("uid");
    if (afterUid !== undefined) query = query.startAfter(afterUid);
    // A user has up to 7 day documents in a week; read enough to fill a page of distinct users.
    const snap = await query.limit(limit * 7).get();
    const uids: string[] = [];
    for (const doc of snap.docs) {
      const uid = z.string().parse(doc.get("uid"));
      if (uids[uids.length - 1] !== uid) uids.push(uid);
      if (uids.length === limit) break;
    }
    return uids;
  }

  async listPlaces(uid: string): Promise<LabelledPlace[]> {
    const snap = await this.user(uid).collection("places").get();
    const places: LabelledPlace[] = [];
    for (const doc of snap.docs) {
      const parsed = placeDocSchema.safeParse(doc.data());
      // A malformed label must not break the user's path: it is skipped and reported.
      if (parsed.success) places.push({ id: doc.id, ...parsed.data });
      else logs.warn("gps_place_malformed", { path: doc.ref.path, issues: parsed.error.issues.map((i) => i.message) });
    }
    return places;
  }

  async putPlace(uid: string, place: LabelledPlace): Promise<void> {
    const { id, ...data } = place;
    await this.user(uid).collection("places").doc(id).set(data);
  }

  async deletePlace(uid: string, placeId: string): Promise<boolean> {
    const ref = this.user(uid).collection("places").doc(placeId);
    return this.db().runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists) return false;
      tx.delete(ref);
      return true;
    });
  }

  async getWeeklyStats(uid: string, week: string): Promise<WeeklyStats | undefined> {
    const snap = await this.user(uid).collection("weeklyStats").doc(week).get();
    if (!snap.exists) return undefined;
    return weeklyStatsSchema.parse(snap.data());
  }

  async putWeeklyStats(uid: string, stats: WeeklyStats): Promise<boolean> {
    const ref = this.user(uid).collection("weeklyStats").doc(stats.week);
    return this.db().runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const current = snap.exists ? weeklyStatsSchema.safeParse(snap.data()) : undefined;
      if (current?.success && sameStats(current.data, stats)) return false;
      tx.set(ref, stats);
      return true;
    });
  }
}
