import { gpsRoutes } from "../gps/gpsRoutes";
import type { GpsStore } from "../gps/store";
import { installationRoutes } from "../notifications/installationRoutes";
import type { InstallationStore } from "../notifications/store";
import type { TopicSubscriptions } from "../notifications/topics";
import { meRoutes } from "./meRoutes";
import type { Route } from "./types";

/**
 * The stores and ports the api's route groups need. Production fills it with Firestore-backed implementations
 * (productionApiDeps), tests with in-memory ones that honour the same contracts.
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
}

/** Every route of the api. */
export function buildRoutes(deps: ApiDeps): Route[] {
  return [
    ...meRoutes(),
    ...installationRoutes(deps),
    ...gpsRoutes({ gps: deps.gps, now: deps.now }),
  ];
}
