/** The in-memory GPS store: the same contract as the Firestore one (storeContract.ts), counting writes as Firestore bills them. */
import type { LabelledPlace } from "../../src/gps/categories";
import { isoWeekOf, type StoredPoint } from "../../src/gps/points";
import { type WeeklyStats, type WeeklyStatsDoc, sameStats, toWeeklyStatsDoc, weeklyStatsDocSchema } from "../../src/gps/stats";
import { type AddPointsResult, type GpsStore, mergeUpload } from "../../src/gps/store";

export class InMemoryGpsStore implements GpsStore {
  /** Document writes, as Firestore would bill them. */
  writes = 0;
  /** Of those, day-bucket writes (uploads), apart from the statistics an upload also refreshes. */
  bucketWrites = 0;
  private readonly days = new Map<string, Map<string, StoredPoint[]>>();
  private readonly places = new Map<string, LabelledPlace[]>();
  /** Held as Firestore holds them, badges by id, and read through the same schema. */
  private readonly weekly = new Map<string, WeeklyStatsDoc>();

  addPoints(uid: string, byDay: ReadonlyMap<string, readonly StoredPoint[]>): Promise<AddPointsResult> {
    const userDays = this.days.get(uid) ?? new Map<string, StoredPoint[]>();
    let merged: ReturnType<typeof mergeUpload>;
    try {
      merged = mergeUpload(byDay, userDays);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    for (const [day, points] of merged.changed) userDays.set(day, points);
    this.days.set(uid, userDays);
    this.writes += merged.changed.size;
    this.bucketWrites += merged.changed.size;
    return Promise.resolve(merged.result);
  }

  readDays(uid: string, days: readonly string[]): Promise<StoredPoint[]> {
    const userDays = this.days.get(uid);
    const out: StoredPoint[] = [];
    for (const day of [...new Set(days)].sort()) out.push(...(userDays?.get(day) ?? []).map((p) => ({ ...p })));
    return Promise.resolve(out);
  }

  listUsersWithLogs(week: string, afterUid: string | undefined, limit: number): Promise<string[]> {
    const uids = [...this.days.entries()]
      .filter(([uid, days]) => (afterUid === undefined || uid > afterUid) && [...days.keys()].some((d) => isoWeekOf(d) === week))
      .map(([uid]) => uid)
      .sort();
    return Promise.resolve(uids.slice(0, limit));
  }

  listPlaces(uid: string): Promise<LabelledPlace[]> {
    return Promise.resolve((this.places.get(uid) ?? []).map((p) => ({ ...p })));
  }

  putPlace(uid: string, place: LabelledPlace): Promise<void> {
    const others = (this.places.get(uid) ?? []).filter((p) => p.id !== place.id);
    this.places.set(uid, [...others, { ...place }].sort((a, b) => (a.id < b.id ? -1 : 1)));
    this.writes++;
    return Promise.resolve();
  }

  deletePlace(uid: string, placeId: string): Promise<boolean> {
    const places = this.places.get(uid) ?? [];
    const kept = places.filter((p) => p.id !== placeId);
    if (kept.length === places.length) return Promise.resolve(false);
    this.places.set(uid, kept);
    this.writes++;
    return Promise.resolve(true);
  }

  /** Test seam: arranges places without counting writes. */
  setPlaces(uid: string, places: LabelledPlace[]): void {
    this.places.set(uid, places.map((p) => ({ ...p })));
  }

  getWeeklyStats(uid: string, week: string): Promise<WeeklyStats | undefined> {
    const doc = this.weekly.get(`${uid}/${week}`);
    return Promise.resolve(doc ? weeklyStatsDocSchema.parse(structuredClone(doc)) : undefined);
  }

  putWeeklyStats(uid: string, stats: WeeklyStats): Promise<boolean> {
    const key = `${uid}/${stats.week}`;
    const current = this.weekly.get(key);
    if (current && sameStats(weeklyStatsDocSchema.parse(current), stats)) return Promise.resolve(false);
    this.weekly.set(key, structuredClone(toWeeklyStatsDoc(stats)));
    this.writes++;
    return Promise.resolve(true);
  }
}
