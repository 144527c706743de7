import type { WeatherSnapshot } from "../../src/integrations/weather";
import { ALARM_KEEP, type Alarm } from "../../src/smarthome/alarms";
import type { RawDoc, SmarthomeStore } from "../../src/smarthome/store";
import { MemoryOnceLedger } from "../core/memoryOnceLedger";

/**
 * Given every alarm id (any order, repeats allowed), the ids to delete so only the `keep` newest remain: the ids sort
 * newest first, so this is what FirebaseSmarthomeStore's trim (by document name, past the first `keep`) deletes.
 */
export function alarmsToTrim(ids: readonly string[], keep = ALARM_KEEP): string[] {
  return [...new Set(ids)].sort().slice(keep);
}

/**
 * In-memory SmarthomeStore for tests. A trim lists the alarms, yields, then deletes, so concurrency tests exercise
 * the same interleavings Firestore would see.
 */
export class MemorySmarthomeStore implements SmarthomeStore {
  rtdb: { status?: unknown; hometemp?: unknown; openweather?: unknown; notification?: unknown } = {};
  modes = new Map<string, unknown>();
  schedules = new Map<string, Record<string, unknown>>();
  alarms = new Map<string, Omit<Alarm, "id">>();
  notificationWrites = 0;
  weatherOutage: { since: number; reason: string } | null = null;
  readonly processed = new MemoryOnceLedger();

  readStatus(): Promise<unknown> {
    return Promise.resolve(this.rtdb.status ?? null);
  }
  readHomeSensor(): Promise<unknown> {
    return Promise.resolve(this.rtdb.hometemp ?? null);
  }
  readWeather(): Promise<unknown> {
    return Promise.resolve(this.rtdb.openweather ?? null);
  }
  writeWeather(snapshot: WeatherSnapshot): Promise<void> {
    this.rtdb.openweather = { ...snapshot };
    return Promise.resolve();
  }
  writeNotification(text: string): Promise<boolean> {
    if (this.rtdb.notification === text) return Promise.resolve(false);
    this.rtdb.notification = text;
    this.notificationWrites += 1;
    return Promise.resolve(true);
  }

  listModes(): Promise<RawDoc[]> {
    return Promise.resolve([...this.modes].map(([id, data]) => ({ id, data: structuredClone(data) })));
  }

  createAlarms(alarms: readonly Alarm[]): Promise<string[]> {
    const created: string[] = [];
    for (const { id, ...alarm } of alarms) {
      if (this.alarms.has(id)) continue;
      this.alarms.set(id, alarm);
      created.push(id);
    }
    return Promise.resolve(created);
  }

  async trimAlarms(keep: number): Promise<string[]> {
    const ids = [...this.alarms.keys()];
    // The listing and the deletes are apart, as in Firestore: other events' creates and trims run in between.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const trimmed = alarmsToTrim(ids, keep);
    for (const id of trimmed) this.alarms.delete(id);
    return trimmed;
  }

  listSchedules(): Promise<RawDoc[]> {
    return Promise.resolve([...this.schedules].map(([id, data]) => ({ id, data: structuredClone(data) })));
  }
  markScheduleRun(id: string, minuteKey: string): Promise<boolean> {
    const doc = this.schedules.get(id);
    if (doc) doc.lastRunMinute = minuteKey;
    return Promise.resolve(doc !== undefined);
  }
  markScheduleExpired(id: string, minuteKey: string): Promise<void> {
    const doc = this.schedules.get(id);
    if (doc) doc.expiredMinute = minuteKey;
    return Promise.resolve();
  }
  deleteScheduleIf(id: string, shouldDelete: (data: unknown) => boolean): Promise<boolean> {
    const doc = this.schedules.get(id);
    if (!doc || !shouldDelete(structuredClone(doc))) return Promise.resolve(false);
    this.schedules.delete(id);
    return Promise.resolve(true);
  }

  beginWeatherOutage(atMs: number, reason: string): Promise<boolean> {
    if (this.weatherOutage) return Promise.resolve(false);
    this.weatherOutage = { since: atMs, reason };
    return Promise.resolve(true);
  }
  endWeatherOutage(): Promise<boolean> {
    const was = this.weatherOutage !== null;
    this.weatherOutage = null;
    return Promise.resolve(was);
  }
}
