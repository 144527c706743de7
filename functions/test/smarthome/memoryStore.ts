import type { WeatherSnapshot } from "../../src/integrations/weather";
import { ALARM_EVENT_MEMORY, type Alarm, alarmsToTrim } from "../../src/smarthome/alarms";
import type { AppendAlarmsResult, RawDoc, SmarthomeStore } from "../../src/smarthome/store";

/**
 * In-memory SmarthomeStore for tests. Alarm appends run as optimistic transactions (read a version, yield, commit
 * only if nobody committed meanwhile, else retry) so concurrency tests exercise the same races Firestore would see.
 */
export class MemorySmarthomeStore implements SmarthomeStore {
  rtdb: { status?: unknown; hometemp?: unknown; openweather?: unknown; notification?: unknown } = {};
  modes = new Map<string, unknown>();
  schedules = new Map<string, Record<string, unknown>>();
  alarms = new Map<string, Omit<Alarm, "id">>();
  notificationWrites = 0;
  weatherOutage: { since: number; reason: string } | null = null;
  private appliedEvents: string[] = [];
  private alarmVersion = 0;

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

  async appendAlarms(eventKey: string, alarms: readonly Alarm[], keep: number): Promise<AppendAlarmsResult> {
    for (let attempt = 0; attempt < 1_000; attempt++) {
      const version = this.alarmVersion;
      const duplicate = this.appliedEvents.includes(eventKey);
      const ids = [...this.alarms.keys()];
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (version !== this.alarmVersion) continue;
      if (duplicate) return { duplicate: true, written: [], trimmed: [] };
      const trimmed = alarmsToTrim([...ids, ...alarms.map((a) => a.id)], keep);
      for (const { id, ...alarm } of alarms) this.alarms.set(id, alarm);
      for (const id of trimmed) this.alarms.delete(id);
      this.appliedEvents = [...this.appliedEvents, eventKey].slice(-ALARM_EVENT_MEMORY);
      this.alarmVersion += 1;
      return { duplicate: false, written: alarms.map((a) => a.id).filter((id) => !trimmed.includes(id)), trimmed };
    }
    throw new Error("appendAlarms: too much contention");
  }

  listSchedules(): Promise<RawDoc[]> {
    return Promise.resolve([...this.schedules].map(([id, data]) => ({ id, data: structuredClone(data) })));
  }
  claimScheduleRun(id: string, minuteKey: string): Promise<boolean> {
    const doc = this.schedules.get(id);
    if (!doc || doc.lastRunMinute === minuteKey) return Promise.resolve(false);
    doc.lastRunMinute = minuteKey;
    return Promise.resolve(true);
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
