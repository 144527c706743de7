/**
 * OpenWeatherMap client: current weather for a city (Korean descriptions, metric units), then air pollution at the
 * coordinates it returned. Every response is validated; failures are WeatherErrors that never contain the API key.
 */
import { z } from "zod";
import { seoulTimestamp } from "../core/seoulTime";

const OPENWEATHER_BASE_URL = "https://api.openweathermap.org";

/** `sensor/openweather` as the apps read it. */
export const WeatherSnapshotSchema = z.object({
  description: z.string(),
  icon: z.string(),
  temp: z.number(),
  air_level: z.number().int().min(1).max(5),
  update: z.string(),
});
export type WeatherSnapshot = z.infer<typeof WeatherSnapshotSchema>;

const CurrentWeatherSchema = z.object({
  coord: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }),
  weather: z.array(z.object({ description: z.string(), icon: z.string().regex(/^\d{2}[dn]$/) })).min(1),
  main: z.object({ temp: z.number().finite() }),
});

const AirPollutionSchema = z.object({
  list: z.array(z.object({ main: z.object({ aqi: z.number().int().min(1).max(5) }) })).min(1),
});

const ErrorBodySchema = z.object({ cod: z.union([z.number(), z.string()]).optional(), message: z.string().optional() });

export type WeatherErrorKind = "config" | "network" | "http" | "malformed";

export class WeatherError extends Error {
  constructor(readonly kind: WeatherErrorKind, message: string, readonly status?: number) {
    super(message);
    this.name = "WeatherError";
  }
}

export interface WeatherOptions {
  apiKey: string;
  city: string;
  now: () => number;
  baseUrl?: string;
  timeoutMs?: number;
}

export async function fetchWeather(options: WeatherOptions): Promise<WeatherSnapshot> {
  if (!options.apiKey.trim()) throw new WeatherError("config", "OPENWEATHER_API_KEY is not configured");
  if (!options.city) throw new WeatherError("config", "WEATHER_CITY is empty");
  const current = await getJson(options, "current weather", "/data/2.5/weather", {
    q: options.city,
    lang: "kr",
    units: "metric",
  });
  const weather = validate(CurrentWeatherSchema, current, "current weather");
  const air = validate(
    AirPollutionSchema,
    await getJson(options, "air pollution", "/data/2.5/air_pollution", { lat: weather.coord.lat, lon: weather.coord.lon }),
    "air pollution",
  );
  const [first] = weather.weather;
  const [reading] = air.list;
  if (!first || !reading) throw new WeatherError("malformed", "empty weather or air pollution list");
  return {
    description: first.description,
    icon: first.icon,
    temp: Math.round(weather.main.temp * 10) / 10,
    air_level: reading.main.aqi,
    update: seoulTimestamp(options.now()),
  };
}

async function getJson(options: WeatherOptions, what: string, path: string, params: Record<string, string | number>): Promise<unknown> {
  const { default: axios } = await import("axios");
  let res: { status: number; data: unknown };
  try {
    res = await axios.get(`${options.baseUrl ?? OPENWEATHER_BASE_URL}${path}`, {
      params: { ...params, appid: options.apiKey },
      timeout: options.timeoutMs ?? 10_000,
      maxRedirects: 0,
      maxContentLength: 256 * 1024,
      responseType: "json",
      validateStatus: () => true,
    });
  } catch (err) {
    const code = err instanceof Error && "code" in err ? String(err.code) : "unknown";
    throw new WeatherError("network", `${what} request failed (${code})`);
  }
  if (res.status !== 200) {
    const body = ErrorBodySchema.safeParse(res.data);
    const detail = body.success && body.data.message ? `: ${redact(body.data.message, options.apiKey)}` : "";
    throw new WeatherError("http", `${what} answered HTTP ${res.status}${detail}`, res.status);
  }
  return res.data;
}

function validate<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw new WeatherError("malformed", `${what} response is malformed:\n${z.prettifyError(result.error)}`);
}

function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join("***") : text;
}
