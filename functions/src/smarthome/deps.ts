import { pubsubOutbound } from "../bridge/pubsubOutbound";
import { OPENWEATHER_API_KEY, WEATHER_CITY } from "../config";
import { productionAlerter } from "../integrations/productionAlerter";
import { fetchWeather } from "../integrations/weather";
import { FirebaseSmarthomeStore } from "./firebaseStore";
import type { SmarthomeDeps } from "./service";

let production: SmarthomeDeps | undefined;
let override: SmarthomeDeps | undefined;

/** The smart-home triggers' ports: RTDB/Firestore, Pub/Sub, Slack and OpenWeatherMap, or what a test installed. */
export function smarthomeDeps(): SmarthomeDeps {
  if (override) return override;
  if (!production) {
    const outbound = pubsubOutbound();
    production = {
      store: new FirebaseSmarthomeStore(),
      outbound,
      alerter: productionAlerter(outbound),
      fetchWeather: () => fetchWeather({ apiKey: OPENWEATHER_API_KEY.value(), city: WEATHER_CITY.value(), now: Date.now }),
      now: Date.now,
    };
  }
  return production;
}

/** Test seam: trigger tests install in-memory stores and fakes, then reset with `undefined`. */
export function setSmarthomeDeps(deps: SmarthomeDeps | undefined): void {
  override = deps;
}
