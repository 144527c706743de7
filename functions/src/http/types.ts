import type { IncomingHttpHeaders } from "node:http";
import type { z } from "zod";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

/** What the pipeline hands a route: the caller (empty for public routes), the raw path params, query and body. */
export interface RawContext {
  uid: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, undefined when there was none. */
  body: unknown;
}

export interface RouteResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface ResponseSpec {
  description: string;
  schema: z.ZodType;
}

/** Kept answering for one deprecation period, with `Deprecation`, `Sunset` and `Link` headers naming the successor. */
export interface Deprecation {
  /** ISO date the route was deprecated. */
  since: string;
  /** ISO date after which it may stop answering. */
  sunset: string;
  /** The route that replaces it, as `METHOD /path`. */
  successor: string;
}

/**
 * One api route as declared with `defineRoute`: everything the pipeline, the router and the OpenAPI document need.
 * `path` is in OpenAPI form (`/v1/places/{id}`).
 */
export interface Route {
  method: Method;
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** `public` routes need no ID token (and spend no quota). */
  auth: "user" | "public";
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** The documented request body; the route validates it before its handler runs. */
  body?: z.ZodType;
  responses: Record<number, ResponseSpec>;
  deprecated?: Deprecation;
  handle(ctx: RawContext): Promise<RouteResult>;
}
