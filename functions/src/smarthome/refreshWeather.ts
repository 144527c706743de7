import { onSchedule } from "firebase-functions/v2/scheduler";
import { FUNCTION_DEFAULTS, OPENWEATHER_API_KEY, SLACK_WEBHOOK_URL } from "../core/config";
import { SEOUL_TIME_ZONE } from "../core/seoulTime";
import { smarthomeDeps } from "./deps";
import { refreshWeatherSnapshot } from "./weatherRefresh";

/** Every 15 minutes: OpenWeatherMap → `sensor/openweather` (which then recomputes the recommendation). */
export const refreshWeather = onSchedule(
  { ...FUNCTION_DEFAULTS, schedule: "*/15 * * * *", timeZone: SEOUL_TIME_ZONE, secrets: [OPENWEATHER_API_KEY, SLACK_WEBHOOK_URL] },
  async (_event) => {
    await refreshWeatherSnapshot(smarthomeDeps());
  },
);
