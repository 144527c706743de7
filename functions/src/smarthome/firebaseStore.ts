import { database, firestore } from "../admin";
import type { WeatherSnapshot } from "../integrations/weather";
import { ALARM_EVENT_MEMORY, type Alarm, alarmsToTrim } from "./alarms";
import type { AppendAlarmsResult, RawDoc, SmarthomeStore } from "./store";

const PATHS = {
  status: "smarthome/status",
  homeSensor: "sensor/hometemp",
  weather: "sensor/openweather",
  notification: "server/notification",
} as const;

const COLLECTIONS = {
  modes: "modes",
  schedules: "schedule_mode",
  alarms: "appliance_alarm",
  /** Server-only bookkeeping, outside the collections the apps list. */
  state: "smarthome_state",
} as const;

/**
 * Every alarm append serialises on one bookkeeping document, so a burst of status events queues on its lock. The
 * SDK's default of 5 attempts aborted most of a burst of 20 against the emulator, leaving them to the much slower
 * event retry; with this many every append of a burst of 40 committed.
 */
const ALARM_TX_ATTEMPTS = 30;

/** Firestore error code 5: the document vanished between listing and writing. */
const NOT_FOUND = 5;

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

  /**
   * Every append reads the same bookkeeping document, so concurrent appends conflict and Firestore serialises them;
   * the collection listing inside the transaction is therefore exact when trimming.
   */
  async appendAlarms(eventKey: string, alarms: readonly Alarm[], keep: number): Promise<AppendAlarmsResult> {
    const db = firestore();
    const meta = db.collection(COLLECTIONS.state).doc("alarms");
    const collection = db.collection(COLLECTIONS.alarms);
    return db.runTransaction(async (tx) => {
      const metaSnap = await tx.get(meta);
      const existing = await tx.get(collection.select());
      const stored = metaSnap.get("events") as unknown;
      const events = Array.isArray(stored) ? stored.filter((e): e is string => typeof e === "string") : [];
      if (events.includes(eventKey)) return { duplicate: true, written: [], trimmed: [] };
      const existingIds = existing.docs.map((d) => d.id);
      const trimmed = alarmsToTrim([...existingIds, ...alarms.map((a) => a.id)], keep);
      const written: string[] = [];
      for (const { id, ...alarm } of alarms) {
        if (trimmed.includes(id)) continue;
        tx.set(collection.doc(id), alarm);
        written.push(id);
      }
      for (const id of trimmed) if (existingIds.includes(id)) tx.delete(collection.doc(id));
      tx.set(meta, { events: [...events, eventKey].slice(-ALARM_EVENT_MEMORY) });
      return { duplicate: false, written, trimmed };
    }, { maxAttempts: ALARM_TX_ATTEMPTS });
  }

  listSchedules(): Promise<RawDoc[]> {
    return listDocs(COLLECTIONS.schedules);
  }
  async claimScheduleRun(id: string, minuteKey: string): Promise<boolean> {
    const db = firestore();
    const ref = db.collection(COLLECTIONS.schedules).doc(id);
    return db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists || snap.get("lastRunMinute") === minuteKey) return false;
      tx.update(ref, { lastRunMinute: minuteKey });
      return true;
    });
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
