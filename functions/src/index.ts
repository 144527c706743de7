import { assertNoEmulatorsInProduction } from "./core/emulatorGuard";

// Deploy discovery and every cold start load this file: an instance with emulator variables set never serves.
assertNoEmulatorsInProduction();

export { api } from "./api/api";
export { mqttInbound } from "./bridge/mqttInbound";
export { saveLocationPush } from "./notifications/saveLocationPush";
export { pathDailyPush } from "./notifications/pathDailyPush";
export { onSmarthomeStatusWritten } from "./smarthome/onSmarthomeStatusWritten";
export { onHomeSensorWritten } from "./smarthome/onHomeSensorWritten";
export { onOpenWeatherWritten } from "./smarthome/onOpenWeatherWritten";
export { runSchedules } from "./smarthome/runSchedules";
export { onScheduleModeWritten } from "./smarthome/onScheduleModeWritten";
export { refreshWeather } from "./smarthome/refreshWeather";
export { weeklyStats } from "./gps/weeklyStats";
export { weeklyStatsTask } from "./gps/weeklyStatsTask";
