import type { WeatherSnapshot } from "../integrations/weather";
import type { Alarm } from "./alarms";

/** A Firestore document as read, before validation. */
export interface RawDoc {
  id: string;
  data: unknown;
}

export interface AppendAlarmsResult {
  /** The event was already applied (a replay): nothing written. */
  duplicate: boolean;
  written: string[];
  trimmed: string[];
}

/**
 * Everything the smart-home domain reads and writes. The Firebase implementation (firebaseStore) is the only code
 * touching RTDB/Firestore for this domain; the memory one (memoryStore) honours the same contract for tests.
 */
export interface SmarthomeStore {
  /** `smarthome/status`, unvalidated. */
  readStatus(): Promise<unknown>;
  /** `sensor/hometemp`, unvalidated. */
  readHomeSensor(): Promise<unknown>;
  /** `sensor/openweather`, unvalidated. */
  readWeather(): Promise<unknown>;
  writeWeather(snapshot: WeatherSnapshot): Promise<void>;
  /** Sets `server/notification` unless it already holds `text`; true when it changed. Atomic. */
  writeNotification(text: string): Promise<boolean>;

  listModes(): Promise<RawDoc[]>;
  /**
   * Atomically: unless `eventKey` was applied before, creates the alarms and deletes all but the `keep` newest
   * documents (ids sort newest first). Concurrent calls never leave more than `keep` nor delete a newer alarm.
   */
  appendAlarms(eventKey: string, alarms: readonly Alarm[], keep: number): Promise<AppendAlarmsResult>;

  listSchedules(): Promise<RawDoc[]>;
  /** Atomically marks schedule `id` as run in `minuteKey`; false if it was already run then or no longer exists. */
  claimScheduleRun(id: string, minuteKey: string): Promise<boolean>;
  /** Marks a once-type schedule whose minute passed unrun, so the deletion trigger sees it. */
  markScheduleExpired(id: string, minuteKey: string): Promise<void>;
  /** Deletes schedule `id` if, read inside the same transaction, `shouldDelete` still holds for its data. */
  deleteScheduleIf(id: string, shouldDelete: (data: unknown) => boolean): Promise<boolean>;

  /** Records a weather failure; true only for the call that started the outage. */
  beginWeatherOutage(atMs: number, reason: string): Promise<boolean>;
  /** Records a weather success; true only for the call that ended an outage. */
  endWeatherOutage(): Promise<boolean>;
}
