/**
 * Firestore implementation of the GPS store. Layout (see docs/gps.md):
 *   gpsUsers/{uid}/gpsDays/{YYYY-MM-DD}   {uid, day, week, count, encoding, points: bytes (24 B a point), updatedAt}
 *   gpsUsers/{uid}/places/{placeId}       {name, category, lat, lng, radiusMeters}
 *   gpsUsers/{uid}/weeklyStats/{YYYY-Www} the WeeklyStats document, badges by id (weeklyStatsDocSchema)
 * Listing users by week is a collection-group query on `gpsDays` (composite index week ASC, uid ASC).
 */
import type { DocumentReference, Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import { firestore } from "../core/admin";
import * as logs from "../core/logs";
import type { LabelledPlace } from "./categories";
import { BUCKET_ENCODING, type StoredPoint, UnknownBucketEncodingError, decodePoints, encodePoints, isoWeekOf } from "./points";
import { type WeeklyStats, sameStats, toWeeklyStatsDoc, weeklyStatsDocSchema } from "./stats";
import { GroupCommit, type Outcome } from "./groupCommit";
import { MAX_DAYS_PER_REQUEST, storedPlaceSchema } from "./schema";
import { type AddPointsResult, DayCapacityError, type GpsStore, StoreContendedError, mergeUpload } from "./store";

const dayDocSchema = z.object({
  uid: z.string(),
  day: z.string(),
  count: z.number().int().nonnegative(),
  /** Absent on buckets written before versioning: those are version 1 (see BUCKET_ENCODING). */
  encoding: z.number().int().positive().optional(),
  points: z.instanceof(Uint8Array),
});


type DayPoints = ReadonlyMap<string, readonly StoredPoint[]>;

/** gRPC status 10: the transaction kept losing its documents' locks through every attempt. */
const ABORTED = 10;

/**
 * Merges one upload into the running state of its group: all its days or, on DayCapacityError, none of them (that
 * upload alone is refused).
 */
function applyUpload(byDay: DayPoints, current: Map<string, StoredPoint[]>, changed: Set<string>): Outcome<AddPointsResult> {
  let merged: ReturnType<typeof mergeUpload>;
  try {
    merged = mergeUpload(byDay, current);
  } catch (err) {
    if (err instanceof DayCapacityError) return { ok: false, error: err };
    throw err;
  }
  for (const [day, points] of merged.changed) {
    current.set(day, points);
    changed.add(day);
  }
  return { ok: true, value: merged.result };
}

export class FirestoreGpsStore implements GpsStore {
  constructor(private readonly db: () => Firestore = firestore) {}

  private user(uid: string): DocumentReference {
    return this.db().collection("gpsUsers").doc(uid);
  }

  private static points(data: unknown, path: string): StoredPoint[] {
    const doc = dayDocSchema.safeParse(data);
    if (!doc.success) throw new Error(`malformed GPS day document ${path}: ${z.prettifyError(doc.error)}`);
    let points: StoredPoint[];
    try {
      points = decodePoints(doc.data.points, doc.data.encoding);
    } catch (err) {
      // Data newer than the code (a rollback after a new layout shipped): refuse loudly, never guess at the bytes.
      if (err instanceof UnknownBucketEncodingError) logs.error("gps_bucket_encoding_unknown", err, { path, encoding: err.encoding });
      throw err;
    }
    if (points.length !== doc.data.count) throw new Error(`GPS day document ${path} holds ${points.length} points, says ${doc.data.count}`);
    return points;
  }

  /**
   * Every upload of a user in this instance goes through one group commit: concurrent uploads (an app flushing its
   * backlog in parallel) merge into one transaction instead of queueing on the day documents' locks.
   */
  private readonly uploads = new GroupCommit<DayPoints, AddPointsResult>({
    commit: (uid, group) => this.commitUploads(uid, group),
    canJoin: (group, next) => new Set([...group, next].flatMap((byDay) => [...byDay.keys()])).size <= MAX_DAYS_PER_REQUEST,
  });

  addPoints(uid: string, byDay: DayPoints): Promise<AddPointsResult> {
    if (byDay.size === 0) return Promise.resolve({ inserted: 0, duplicates: 0, writes: 0, days: [] });
    return this.uploads.submit(uid, byDay);
  }

  /** One transaction for a group of uploads, applied in order as if one after the other. */
  private async commitUploads(uid: string, group: readonly DayPoints[]): Promise<Outcome<AddPointsResult>[]> {
    const db = this.db();
    const { FieldValue } = await import("firebase-admin/firestore");
    const days = [...new Set(group.flatMap((byDay) => [...byDay.keys()]))].sort();
    const refs = days.map((day) => this.user(uid).collection("gpsDays").doc(day));
    try {
      return await db.runTransaction(async (tx) => {
        const snaps = await tx.getAll(...refs);
        const current = new Map(snaps.map((snap, i) => [days[i] as string, snap.exists ? FirestoreGpsStore.points(snap.data(), snap.ref.path) : []]));
        const changed = new Set<string>();
        const outcomes = group.map((byDay) => applyUpload(byDay, current, changed));
        for (const day of changed) {
          const points = current.get(day) as StoredPoint[];
          const ref = refs[days.indexOf(day)] as DocumentReference;
          tx.set(ref, {
            uid,
            day,
            week: isoWeekOf(day),
            count: points.length,
            encoding: BUCKET_ENCODING,
            points: Buffer.from(encodePoints(points)),
            updatedAt: FieldValue.serverTimestamp(),
          });
        }
        return outcomes;
      });
    } catch (err) {
      if ((err as { code?: unknown }).code === ABORTED) throw new StoreContendedError(err);
      throw err;
    }
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
      const parsed = storedPlaceSchema.safeParse(doc.data());
      // A malformed label must not break the user's path: it is skipped and reported.
      if (parsed.success) places.push({ id: doc.id, ...parsed.data });
      else logs.warn("gps_place_malformed", { path: doc.ref.path, issues: z.flattenError(parsed.error) });
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
    const doc = weeklyStatsDocSchema.safeParse(snap.data());
    if (!doc.success) throw new Error(`malformed weekly statistics document ${snap.ref.path}: ${z.prettifyError(doc.error)}`);
    return doc.data;
  }

  async putWeeklyStats(uid: string, stats: WeeklyStats): Promise<boolean> {
    const ref = this.user(uid).collection("weeklyStats").doc(stats.week);
    return this.db().runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const current = snap.exists ? weeklyStatsDocSchema.safeParse(snap.data()) : undefined;
      if (current?.success && sameStats(current.data, stats)) return false;
      tx.set(ref, toWeeklyStatsDoc(stats));
      return true;
    });
  }
}
