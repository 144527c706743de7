import type { OnceLedger } from "../core/once";
import type { WeatherSnapshot } from "../integrations/weather";
import type { Alarm } from "./alarms";

/** A Firestore document as read, before validation. */
export interface RawDoc {
  id: string;
  data: unknown;
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

  /** `processed_events`: the status events whose alarms are written and the schedule runs claimed. */
  readonly processed: OnceLedger;

  listModes(): Promise<RawDoc[]>;
  /** Creates each alarm that does not exist yet (`create`, never overwriting); the ids it created. */
  createAlarms(alarms: readonly Alarm[]): Promise<string[]>;
  /** Deletes all but the `keep` first alarms in id order (newest first); the ids it deleted. No transaction. */
  trimAlarms(keep: number): Promise<string[]>;

  listSchedules(): Promise<RawDoc[]>;
  /** Sets `lastRunMinute` on schedule `id`; false when it no longer exists. */
  markScheduleRun(id: string, minuteKey: string): Promise<boolean>;
  /** Marks a once-type schedule whose minute passed unrun, so the deletion trigger sees it. */
  markScheduleExpired(id: string, minuteKey: string): Promise<void>;
  /** Deletes schedule `id` if, read inside the same transaction, `shouldDelete` still holds for its data. */
  deleteScheduleIf(id: string, shouldDelete: (data: unknown) => boolean): Promise<boolean>;

  /** Records a weather failure; true only for the call that started the outage. */
  beginWeatherOutage(atMs: number, reason: string): Promise<boolean>;
  /** Records a weather success; true only for the call that ended an outage. */
  endWeatherOutage(): Promise<boolean>;
}
