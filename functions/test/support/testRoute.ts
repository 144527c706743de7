import { z } from "zod";
import { type RouteContext, defineRoute } from "../../src/http/route";
import type { Method, Route, RouteResult } from "../../src/http/types";

/**
 * A route for pipeline tests, declared like the api's own: any query, and with `body: true` any JSON body (parsed
 * and handed over as it came).
 */
export function testRoute(
  method: Method,
  path: string,
  handler: (ctx: RouteContext<Record<string, unknown>, Record<string, unknown>, unknown>) => Promise<RouteResult>,
  options: { body?: boolean } = {},
): Route {
  return defineRoute({
    method,
    path,
    summary: `test route ${method} ${path}`,
    tags: ["test"],
    query: z.looseObject({}),
    ...(options.body ? { body: z.unknown() } : {}),
    responses: {},
    handler: (ctx) => handler(ctx as unknown as RouteContext<Record<string, unknown>, Record<string, unknown>, unknown>),
  });
}
