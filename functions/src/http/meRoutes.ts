import type { Route } from "./types";

/** `GET /v1/me`: lets an app check that its ID token is accepted before it uploads anything. */
export function meRoutes(): Route[] {
  return [{ method: "GET", path: "/v1/me", handler: ({ uid }) => Promise.resolve({ status: 200, body: { uid } }) }];
}
