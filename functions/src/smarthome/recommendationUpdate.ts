/** Use case: keep `server/notification` matching the recommendation for the current inputs. */
import * as logs from "../core/logs";
import { WeatherSnapshotSchema } from "../integrations/weather";
import { parseStatus } from "@wolley/contract";
import { HomeSensorSchema, isRaining } from "./documents";
import type { SmarthomeDeps } from "./ports";
import { recommend } from "./recommendation";
import type { SmarthomeStore } from "./store";

/** The two fields of `sensor/openweather` a recommendation reads, each optional so a snapshot missing one still counts. */
const WeatherInputSchema = WeatherSnapshotSchema.pick({ icon: true, air_level: true }).partial();

/** Rounds of write-then-verify before giving up; the next input change recomputes anyway. */
const RECOMMENDATION_ROUNDS = 5;

/**
 * Reads all three inputs fresh (not from the triggering event). Two recomputes can interleave so that the one that
 * read older inputs writes last; therefore whoever writes reads the inputs again afterwards and writes again until
 * its text matches them, which leaves `server/notification` matching the newest inputs.
 */
export async function recomputeRecommendation(deps: Pick<SmarthomeDeps, "store">): Promise<{ text: string; changed: boolean }> {
  let changed = false;
  let text = "";
  for (let round = 0; round < RECOMMENDATION_ROUNDS; round++) {
    text = await currentRecommendation(deps.store);
    if (!(await deps.store.writeNotification(text))) return { text, changed };
    changed = true;
    logs.info("smarthome_recommendation_changed", { text });
  }
  logs.warn("smarthome_recommendation_unsettled", { text, rounds: RECOMMENDATION_ROUNDS });
  return { text, changed };
}

async function currentRecommendation(store: SmarthomeStore): Promise<string> {
  const [statusRaw, homeRaw, weatherRaw] = await Promise.all([store.readStatus(), store.readHomeSensor(), store.readWeather()]);
  const status = parseStatus(statusRaw);
  const home = HomeSensorSchema.safeParse(homeRaw ?? {});
  const weather = WeatherInputSchema.safeParse(weatherRaw ?? {});
  if (!home.success) logs.warn("smarthome_home_sensor_invalid", { value: homeRaw });
  if (!weather.success) logs.warn("smarthome_weather_invalid", { value: weatherRaw });
  return recommend({
    status: status.ok ? status.value : null,
    homeRain: home.success && isRaining(home.data.rain),
    weatherIcon: weather.success ? (weather.data.icon ?? null) : null,
    airLevel: weather.success ? (weather.data.air_level ?? null) : null,
  });
}
