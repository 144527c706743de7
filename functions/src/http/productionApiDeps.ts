import type { ApiDeps } from "./routes";

/** The api's dependencies in production: Firestore-backed stores, created on the first request. */
export function productionApiDeps(): ApiDeps {
  return { now: Date.now };
}
