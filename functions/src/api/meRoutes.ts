import { z } from "zod";
import { defineRoute, errorResponse } from "../http/route";
import type { Route } from "../http/types";

/** `GET /v1/me`: lets an app check that its ID token is accepted before it uploads anything. */
export function meRoutes(): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/v1/me",
      summary: "The caller's uid, as the api reads it from the ID token",
      tags: ["account"],
      responses: {
        200: { description: "the token is accepted", schema: z.object({ uid: z.string() }) },
        401: errorResponse("no valid ID token"),
      },
      handler: ({ uid }) => Promise.resolve({ status: 200, body: { uid } }),
    }),
  ];
}
