/**
 * The api's OpenAPI document outside a running api (`npm run openapi`, the contract tests): the routes are declared
 * without stores, because building the document never calls a handler.
 */
import type { GpsStore } from "../gps/store";
import type { InstallationStore } from "../notifications/store";
import type { TopicSubscriptions } from "../notifications/topics";
import { buildOpenApi } from "../http/openapi";
import { buildRoutes } from "./routes";
import type { Route } from "../http/types";

function unused<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get(_target, property) {
      throw new Error(`${name}.${String(property)}: the api document is built without stores`);
    },
  });
}

export function documentedRoutes(): Route[] {
  return buildRoutes({
    now: Date.now,
    installations: unused<InstallationStore>("installations"),
    topics: unused<TopicSubscriptions>("topics"),
    gps: unused<GpsStore>("gps"),
  });
}

export function apiDocument(): Record<string, unknown> {
  return buildOpenApi(documentedRoutes());
}
