import { z } from "zod";
import { buildOpenApi } from "../http/openapi";
import { defineRoute } from "../http/route";
import type { Route } from "../http/types";

/** `GET /v1/openapi.json`, without authentication: the document of `routes` and of this route itself. */
export function withOpenApiRoute(routes: readonly Route[]): Route[] {
  let document: Record<string, unknown> | undefined;
  const route: Route = defineRoute({
    method: "GET",
    path: "/v1/openapi.json",
    summary: "This document",
    tags: ["meta"],
    auth: "public",
    responses: { 200: { description: "the OpenAPI 3.1 document of the api", schema: z.looseObject({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }) } },
    handler: (): Promise<{ status: number; body: unknown }> => Promise.resolve({ status: 200, body: (document ??= buildOpenApi(all)) }),
  });
  const all: Route[] = [...routes, route];
  return all;
}
