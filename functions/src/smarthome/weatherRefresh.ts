/** Use case: every 15 minutes, OpenWeatherMap → `sensor/openweather`, one alert per outage. */
import type { WeatherSnapshot } from "../integrations/weather";
import * as logs from "../core/logs";
import type { SmarthomeDeps } from "./ports";

const WEATHER_OUTAGE_KEY = "weather:outage";

/** Fetches and stores the weather; on failure keeps the last values and alerts once per outage. */
export async function refreshWeatherSnapshot(deps: SmarthomeDeps): Promise<{ ok: boolean }> {
  let snapshot: WeatherSnapshot;
  try {
    snapshot = await deps.fetchWeather();
  } catch (err) {
    const reason = logs.describeError(err).message;
    logs.error("weather_refresh_failed", err);
    const startedAt = deps.now();
    if (await deps.store.beginWeatherOutage(startedAt, reason)) {
      // Keyed per outage: two outages can start less than one alert window apart (the window is two refresh
      // intervals), and under one shared key the gate would swallow the second outage's only alert.
      await deps.alerter.alert({
        key: `${WEATHER_OUTAGE_KEY}:${startedAt}`,
        message: `OpenWeatherMap refresh failed; sensor/openweather keeps its last values: ${reason}`,
        details: { reason },
      });
    }
    return { ok: false };
  }
  await deps.store.writeWeather(snapshot);
  if (await deps.store.endWeatherOutage()) logs.info("weather_outage_ended", {});
  return { ok: true };
}
