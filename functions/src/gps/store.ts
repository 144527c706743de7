/**
 * The GPS store contract: per-user, per-Asia/Seoul-day buckets of points, the user's labelled places, and weekly
 * statistics. The Firestore implementation (firestoreStore.ts) is the only code touching the database for this
 * domain; the in-memory one honours the same contract for tests and counts document writes the same way.
 */
import type { LabelledPlace } from "./categories";
import { MAX_POINTS_PER_DAY, type StoredPoint, mergePoints, quantize } from "./points";
import type { WeeklyStats } from "./stats";

export type { LabelledPlace } from "./categories";

export interface AddPointsResult {
  inserted: number;
  duplicates: number;
  /** Bucket documents written: at most one per day touched, none when nothing was new. */
  writes: number;
  days: string[];
}

export class DayCapacityError extends Error {
  constructor(
    readonly day: string,
    readonly wouldHold: number,
  ) {
    super(`day ${day} would hold ${wouldHold} points (max ${MAX_POINTS_PER_DAY})`);
    this.name = "DayCapacityError";
  }
}

/**
 * The day buckets stayed locked by other writers through every retry of the transaction (other instances uploading
 * for the same user). Nothing of the request was stored; it is safe to send again.
 */
export class StoreContendedError extends Error {
  constructor(readonly cause: unknown) {
    super("the day buckets are being written by other requests; nothing was stored");
    this.name = "StoreContendedError";
  }
}

export interface GpsStore {
  /**
   * Merges points (quantized, grouped by Seoul day) into the user's day buckets atomically: all days or none. Points
   * already stored are skipped, so a retried upload writes nothing. Throws DayCapacityError when a day would overflow,
   * StoreContendedError when other writers kept the days locked (nothing stored). Concurrent calls for one user may
   * commit together; each resolves with its own counts once its points are stored.
   */
  addPoints(uid: string, byDay: ReadonlyMap<string, readonly StoredPoint[]>): Promise<AddPointsResult>;
  /** The user's points of the given days, in canonical order. */
  readDays(uid: string, days: readonly string[]): Promise<StoredPoint[]>;
  /** Up to `limit` distinct uids with points in ISO week `week`, in uid order, after `afterUid`. */
  listUsersWithLogs(week: string, afterUid: string | undefined, limit: number): Promise<string[]>;
  listPlaces(uid: string): Promise<LabelledPlace[]>;
  /** Creates or replaces the place with `place.id`. */
  putPlace(uid: string, place: LabelledPlace): Promise<void>;
  /** Resolves whether there was such a place. */
  deletePlace(uid: string, placeId: string): Promise<boolean>;
  getWeeklyStats(uid: string, week: string): Promise<WeeklyStats | undefined>;
  /** Writes only when the stored document differs; returns whether it wrote. */
  putWeeklyStats(uid: string, stats: WeeklyStats): Promise<boolean>;
}

/** The merge both implementations run inside their transaction, so their contracts cannot drift apart. */
function mergeDay(
  day: string,
  stored: readonly StoredPoint[],
  incoming: readonly StoredPoint[],
): { points: StoredPoint[]; inserted: number } {
  const points = mergePoints(stored, incoming.map(quantize));
  if (points.length > MAX_POINTS_PER_DAY) throw new DayCapacityError(day, points.length);
  return { points, inserted: points.length - stored.length };
}

/**
 * One upload merged into the stored days: the days it changes, with their new points, and its answer. All its days
 * or none: DayCapacityError for one day refuses the whole upload. Both implementations run it, as they run mergeDay.
 */
export function mergeUpload(
  byDay: ReadonlyMap<string, readonly StoredPoint[]>,
  stored: ReadonlyMap<string, readonly StoredPoint[]>,
): { changed: Map<string, StoredPoint[]>; result: AddPointsResult } {
  const days = [...byDay.keys()].sort();
  const changed = new Map<string, StoredPoint[]>();
  let inserted = 0;
  let received = 0;
  for (const day of days) {
    const incoming = byDay.get(day) ?? [];
    received += incoming.length;
    const merged = mergeDay(day, stored.get(day) ?? [], incoming);
    inserted += merged.inserted;
    if (merged.inserted > 0) changed.set(day, merged.points);
  }
  return { changed, result: { inserted, duplicates: received - inserted, writes: changed.size, days } };
}
