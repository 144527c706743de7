import { database, firestore } from "../core/admin";
import type { WeatherSnapshot } from "../integrations/weather";
import { processedEventsLedger } from "../core/firestoreOnce";
import type { Alarm } from "./alarms";
import { SMARTHOME_COLLECTIONS as COLLECTIONS, SMARTHOME_PATHS as PATHS } from "./paths";
import type { RawDoc, SmarthomeStore } from "./store";

/** Firestore error code 5: the document vanished between listing and writing. */
const NOT_FOUND = 5;
/** Firestore error code 6: `create` found the document (a replayed alarm). */
const ALREADY_EXISTS = 6;
/** One write batch; a longer backlog is trimmed by the next events. */
const TRIM_BATCH = 500;

async function readValue(path: string): Promise<unknown> {
  const snap = await database().ref(path).get();
  return snap.val() as unknown;
}

async function listDocs(collection: string): Promise<RawDoc[]> {
  const snap = await firestore().collection(collection).get();
  return snap.docs.map((d) => ({ id: d.id, data: d.data() }));
}

/** The RTDB + Firestore SmarthomeStore; the only code that touches the databases for the smart-home domain. */
export class FirebaseSmarthomeStore implements SmarthomeStore {
  readonly processed = processedEventsLedger();

  readStatus(): Promise<unknown> {
    return readValue(PATHS.status);
  }
  readHomeSensor(): Promise<unknown> {
    return readValue(PATHS.homeSensor);
  }
  readWeather(): Promise<unknown> {
    return readValue(PATHS.weather);
  }
  async writeWeather(snapshot: WeatherSnapshot): Promise<void> {
    await database().ref(PATHS.weather).set(snapshot);
  }
  async writeNotification(text: string): Promise<boolean> {
    const result = await database()
      .ref(PATHS.notification)
      .transaction((current: unknown) => (current === text ? undefined : text));
    return result.committed;
  }

  listModes(): Promise<RawDoc[]> {
    return listDocs(COLLECTIONS.modes);
  }

  async createAlarms(alarms: readonly Alarm[]): Promise<string[]> {
    const collection = firestore().collection(COLLECTIONS.alarms);
    const created = await Promise.all(
      alarms.map(async ({ id, ...alarm }) => {
        try {
          await collection.doc(id).create(alarm);
          return [id];
        } catch (err) {
          if ((err as { code?: unknown }).code === ALREADY_EXISTS) return [];
          throw err;
        }
      }),
    );
    return created.flat();
  }

  async trimAlarms(keep: number): Promise<string[]> {
    const db = firestore();
    const beyond = await db.collection(COLLECTIONS.alarms).orderBy("__name__").offset(keep).limit(TRIM_BATCH).select().get();
    if (beyond.empty) return [];
    const batch = db.batch();
    for (const doc of beyond.docs) batch.delete(doc.ref);
    await batch.commit();
    return beyond.docs.map((doc) => doc.id);
  }

  listSchedules(): Promise<RawDoc[]> {
    return listDocs(COLLECTIONS.schedules);
  }
  async markScheduleRun(id: string, minuteKey: string): Promise<boolean> {
    try {
      await firestore().collection(COLLECTIONS.schedules).doc(id).update({ lastRunMinute: minuteKey });
      return true;
    } catch (err) {
      if ((err as { code?: unknown }).code !== NOT_FOUND) throw err;
      return false;
    }
  }
  async markScheduleExpired(id: string, minuteKey: string): Promise<void> {
    try {
      await firestore().collection(COLLECTIONS.schedules).doc(id).update({ expiredMinute: minuteKey });
    } catch (err) {
      if ((err as { code?: unknown }).code !== NOT_FOUND) throw err;
    }
  }
  async deleteScheduleIf(id: string, shouldDelete: (data: unknown) => boolean): Promise<boolean> {
    const db = firestore();
    const ref = db.collection(COLLECTIONS.schedules).doc(id);
    return db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists || !shouldDelete(snap.data())) return false;
      tx.delete(ref);
      return true;
    });
  }

  async beginWeatherOutage(atMs: number, reason: string): Promise<boolean> {
    const db = firestore();
    const ref = db.collection(COLLECTIONS.state).doc("weather");
    return db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (typeof snap.get("outageSince") === "number") return false;
      tx.set(ref, { outageSince: atMs, reason });
      return true;
    });
  }
  async endWeatherOutage(): Promise<boolean> {
    const db = firestore();
    const ref = db.collection(COLLECTIONS.state).doc("weather");
    return db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (typeof snap.get("outageSince") !== "number") return false;
      tx.set(ref, { outageSince: null, reason: null });
      return true;
    });
  }
}
