import { meRoutes } from "./meRoutes";
import type { Route } from "./types";

/**
 * The stores and ports the api's route groups need. Production fills it with Firestore-backed implementations
 * (productionApiDeps), tests with in-memory ones that honour the same contracts.
 */
export interface ApiDeps {
  /** Epoch ms; injected so validation windows and records are deterministic in tests. */
  now: () => number;
}

/** Every route of the api. */
export function buildRoutes(_deps: ApiDeps): Route[] {
  return [...meRoutes()];
}
