import type { OutboundPort } from "../integrations/outbound";
import type { Alerter } from "../integrations/alerter";
import type { WeatherSnapshot } from "../integrations/weather";
import type { SmarthomeStore } from "./store";

/** What the smart-home use cases talk to: nothing else. */
export interface SmarthomeDeps {
  store: SmarthomeStore;
  alerter: Alerter;
  outbound: OutboundPort;
  fetchWeather: () => Promise<WeatherSnapshot>;
  now: () => number;
}
