/**
 * The one place that knows about deploy-time params and secrets. Other modules import the values from here and
 * read them (`.value()`) only inside handlers, never at module scope, so deploy-time discovery stays fast and a
 * missing value fails the invocation that needs it rather than the whole deployment.
 */
import { PUBSUB } from "@wolley/contract";
import { defineBoolean, defineInt, defineList, defineSecret, defineString } from "firebase-functions/params";

/** Seoul: the home, the users and the schedules are all there. */
export const REGION = "asia-northeast3";
export const SLACK_WEBHOOK_URL = defineSecret("SLACK_WEBHOOK_URL");
export const OPENWEATHER_API_KEY = defineSecret("OPENWEATHER_API_KEY");

export const WEATHER_CITY = defineString("WEATHER_CITY", {
  default: "Seoul",
  description: "OpenWeatherMap city query for the home's current weather",
});

export const CORS_ORIGINS = defineList("CORS_ORIGINS", {
  default: ["http://localhost:5000"],
  description: "Origins allowed to call the HTTPS api from a browser",
});

export const ENFORCE_APP_CHECK = defineBoolean("ENFORCE_APP_CHECK", {
  default: false,
  description: "Refuse api requests without a valid Firebase App Check token",
});

export const API_RATE_LIMIT_PER_MINUTE = defineInt("API_RATE_LIMIT_PER_MINUTE", {
  default: 300,
  description: "Requests per minute one user may make to the api on one instance (burst of the same size)",
});

export const MQTT_INBOUND_TOPIC = defineString("MQTT_INBOUND_TOPIC", {
  default: PUBSUB.inboundTopic,
  description: "Pub/Sub topic the bridge publishes MQTT messages to",
});

export const MQTT_OUTBOUND_TOPIC = defineString("MQTT_OUTBOUND_TOPIC", {
  default: PUBSUB.outboundTopic,
  description: "Pub/Sub topic functions publish MQTT commands and replies to",
});

export const MQTT_ACCEPT_UNVERIFIED_UID = defineBoolean("MQTT_ACCEPT_UNVERIFIED_UID", {
  default: false,
  description: "Also accept MQTT signup/signin/add_schedule without an idToken, trusting the UID they name (old apps only)",
});

/**
 * Realtime Database has no Seoul location; the home's instance lives in Singapore, the nearest. Database triggers
 * must run in the instance's region (a mismatch fails the deploy), so they do not use REGION.
 */
const DATABASE_REGION = "asia-southeast1";

/** Options every function shares; spread first so a trigger can still override. */
export const FUNCTION_DEFAULTS = { region: REGION } as const;
/** The same for Realtime Database triggers. */
export const DATABASE_TRIGGER_DEFAULTS = { region: DATABASE_REGION } as const;
