import { gpsRoutes } from "../gps/routes";
import type { GpsStore } from "../gps/store";
import { installationRoutes } from "../notifications/routes";
import type { InstallationStore } from "../notifications/store";
import type { TopicSubscriptions } from "../notifications/topics";
import { meRoutes } from "./meRoutes";
import { withOpenApiRoute } from "./openapiRoute";
import type { RateLimiter } from "../http/rateLimit";
import type { Route } from "../http/types";

/**
 * The stores and ports the api's route groups need. Production fills it with Firestore-backed implementations
 * (api/deps.ts), tests with in-memory ones that honour the same contracts.
 */
export interface ApiDeps {
  /** Epoch ms; injected so validation windows and records are deterministic in tests. */
  now: () => number;
  /** Push registry: `PUT`/`DELETE /v1/installations`. */
  installations: InstallationStore;
  /** The wake-up topic's subscriptions, kept in step with the registry. */
  topics: TopicSubscriptions;
  /** GPS day buckets, labelled places and weekly statistics. */
  gps: GpsStore;
  /** Points per user per day (`UPLOAD_POINTS_PER_DAY`); absent, uploads are bounded only by the per-request limits. */
  uploadQuota?: RateLimiter;
}

/** Every route of the api, `GET /v1/openapi.json` (their document) included. */
export function buildRoutes(deps: ApiDeps): Route[] {
  return withOpenApiRoute([
    ...meRoutes(),
    ...installationRoutes(deps),
    ...gpsRoutes({ gps: deps.gps, now: deps.now, ...(deps.uploadQuota ? { uploadQuota: deps.uploadQuota } : {}) }),
  ]);
}
