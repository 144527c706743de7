import type { OutboundMessage, OutboundPort } from "../../src/integrations/outbound";
import type { Alert, Alerter } from "../../src/integrations/alerter";
import type { WeatherSnapshot } from "../../src/integrations/weather";
import { MemorySmarthomeStore } from "./memoryStore";
import type { SmarthomeDeps } from "../../src/smarthome/ports";

export class RecordingAlerter implements Alerter {
  readonly alerts: Alert[] = [];
  alert(alert: Alert): Promise<void> {
    this.alerts.push(alert);
    return Promise.resolve();
  }
}

export class RecordingOutbound implements OutboundPort {
  readonly messages: OutboundMessage[] = [];
  failWith: Error | undefined;
  publish(message: OutboundMessage): Promise<void> {
    if (this.failWith) return Promise.reject(this.failWith);
    this.messages.push(message);
    return Promise.resolve();
  }
}

export interface TestDeps extends SmarthomeDeps {
  store: MemorySmarthomeStore;
  alerter: RecordingAlerter;
  outbound: RecordingOutbound;
  weather: { next: () => Promise<WeatherSnapshot>; calls: number };
}

export function testDeps(nowMs = Date.UTC(2026, 10, 27, 0, 30)): TestDeps {
  const weather = {
    calls: 0,
    next: (): Promise<WeatherSnapshot> => Promise.reject(new Error("no weather configured")),
  };
  return {
    store: new MemorySmarthomeStore(),
    alerter: new RecordingAlerter(),
    outbound: new RecordingOutbound(),
    now: () => nowMs,
    weather,
    fetchWeather: () => {
      weather.calls += 1;
      return weather.next();
    },
  };
}

/** Epoch ms of a Seoul wall-clock time (Seoul is UTC+9 all year). */
export function seoul(year: number, month: number, day: number, hour: number, minute: number, second = 0): number {
  return Date.UTC(year, month - 1, day, hour - 9, minute, second);
}
