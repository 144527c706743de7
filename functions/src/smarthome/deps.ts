import { pubsubOutbound } from "../integrations/pubsubOutbound";
import { OPENWEATHER_API_KEY, WEATHER_CITY } from "../core/config";
import { lazyDeps } from "../core/lazyDeps";
import { productionAlerter } from "../integrations/productionAlerter";
import { fetchWeather } from "../integrations/weather";
import { FirebaseSmarthomeStore } from "./firebaseStore";
import type { SmarthomeDeps } from "./ports";

const ports = lazyDeps<SmarthomeDeps>({
  store: () => new FirebaseSmarthomeStore(),
  outbound: () => pubsubOutbound(),
  alerter: (built) => productionAlerter(built.outbound),
  fetchWeather: () => () => fetchWeather({ apiKey: OPENWEATHER_API_KEY.value(), city: WEATHER_CITY.value(), now: Date.now }),
  now: () => Date.now,
});

/** The smart-home triggers' ports: RTDB/Firestore, Pub/Sub, Slack and OpenWeatherMap, or what a test installed. */
export const smarthomeDeps: () => SmarthomeDeps = ports.get;

/**
 * Test seam: trigger tests install in-memory stores and fakes, then reset with `undefined`.
 * @internal Only tests call it, which `knip --production` allows for this tag alone.
 */
export const setSmarthomeDeps: (deps: SmarthomeDeps | undefined) => void = ports.set;
