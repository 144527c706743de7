import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import path from "node:path";
import nock from "nock";
import { WeatherError, fetchWeather } from "../../src/integrations/weather";
import { useNock } from "../support/nockSession";

const FIXTURES = path.resolve(__dirname, "..", "..", "..", "test", "fixtures", "openweathermap");
const fixture = (name: string): nock.Body => JSON.parse(readFileSync(path.join(FIXTURES, name), "utf8")) as nock.Body;
const API = "https://api.openweathermap.org";
const KEY = "test-key-0123456789";
const NOW = Date.UTC(2026, 10, 27, 3, 4, 5);
const options = { apiKey: KEY, city: "Seoul", now: () => NOW };

async function rejection(promise: Promise<unknown>): Promise<WeatherError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof WeatherError, String(err));
    assert.ok(!err.message.includes(KEY), "the API key leaked into the error");
    return err;
  }
  assert.fail("expected a rejection");
}

function weatherScope(): nock.Interceptor {
  return nock(API).get("/data/2.5/weather").query({ q: "Seoul", lang: "kr", units: "metric", appid: KEY });
}

function airScope(): nock.Interceptor {
  return nock(API).get("/data/2.5/air_pollution").query({ lat: "37.5683", lon: "126.9778", appid: KEY });
}

describe("OpenWeatherMap client (recorded responses)", () => {
  useNock();

  it("turns current weather and air pollution into sensor/openweather", async () => {
    weatherScope().reply(200, fixture("weather-seoul-rain.json"));
    airScope().reply(200, fixture("air-pollution-seoul.json"));
    assert.deepEqual(await fetchWeather(options), {
      description: "보통 비",
      icon: "10n",
      temp: 18.4,
      air_level: 3,
      update: "2026-11-27 12:04:05",
    });
    assert.ok(nock.isDone());
  });

  it("reports a bad key (401) with the API's message, without the key", async () => {
    weatherScope().reply(401, fixture("error-401.json"));
    const err = await rejection(fetchWeather(options));
    assert.equal(err.kind, "http");
    assert.equal(err.status, 401);
    assert.match(err.message, /HTTP 401: Invalid API key/);
  });

  it("reports an unknown city (404), rate limiting (429) and server errors", async () => {
    for (const [status, body] of [[404, { cod: "404", message: "city not found" }], [429, { cod: 429 }], [503, "<html>down</html>"]] as const) {
      weatherScope().reply(status, body);
      const err = await rejection(fetchWeather(options));
      assert.equal(err.kind, "http");
      assert.equal(err.status, status);
    }
  });

  it("redacts the key if the API echoes it", async () => {
    weatherScope().reply(401, { cod: 401, message: `bad key ${KEY}` });
    const err = await rejection(fetchWeather(options));
    assert.match(err.message, /bad key \*\*\*/);
  });

  it("rejects malformed weather bodies", async () => {
    const good = fixture("weather-seoul-rain.json") as Record<string, unknown>;
    const bodies: nock.Body[] = [
      "not json at all",
      {},
      { ...good, weather: [] },
      { ...good, weather: [{ description: "비", icon: "rain" }] },
      { ...good, main: { temp: "18" } },
      { ...good, coord: { lat: 200, lon: 0 } },
    ];
    for (const body of bodies) {
      weatherScope().reply(200, body);
      const err = await rejection(fetchWeather(options));
      assert.equal(err.kind, "malformed", JSON.stringify(body));
    }
  });

  it("rejects malformed air pollution bodies", async () => {
    for (const body of [{ list: [] }, { list: [{ main: { aqi: 7 } }] }, { list: [{ main: {} }] }, "<html/>"]) {
      weatherScope().reply(200, fixture("weather-seoul-rain.json"));
      airScope().reply(200, body);
      const err = await rejection(fetchWeather(options));
      assert.equal(err.kind, "malformed", JSON.stringify(body));
    }
  });

  it("reports air pollution failures as HTTP errors", async () => {
    weatherScope().reply(200, fixture("weather-seoul-rain.json"));
    airScope().reply(429, { cod: 429, message: "over quota" });
    const err = await rejection(fetchWeather(options));
    assert.equal(err.status, 429);
    assert.match(err.message, /^air pollution/);
  });

  it("reports network failures and timeouts", async () => {
    weatherScope().replyWithError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    assert.equal((await rejection(fetchWeather(options))).kind, "network");
    weatherScope().delay(5_000).reply(200, fixture("weather-seoul-rain.json"));
    const timedOut = await rejection(fetchWeather({ ...options, timeoutMs: 20 }));
    assert.equal(timedOut.kind, "network");
  });

  it("refuses to call without a key or a city", async () => {
    assert.equal((await rejection(fetchWeather({ ...options, apiKey: "" }))).kind, "config");
    assert.equal((await rejection(fetchWeather({ ...options, city: "" }))).kind, "config");
  });
});
