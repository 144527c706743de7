/**
 * Where the smart home's data lives: one name for each Realtime Database path and Firestore collection, shared by
 * the triggers that listen on them and the stores that read and write them (the smart-home store and the bridge's).
 */
export const SMARTHOME_PATHS = {
  status: "smarthome/status",
  homeSensor: "sensor/hometemp",
  weather: "sensor/openweather",
  notification: "server/notification",
} as const;

export const SMARTHOME_COLLECTIONS = {
  modes: "modes",
  schedules: "schedule_mode",
  alarms: "appliance_alarm",
  /** The apps' accounts, `{name}` per uid, written by MQTT signup. */
  userAccounts: "user_account",
  /** Server-only state, outside the collections the apps list. */
  state: "smarthome_state",
} as const;
