import type { IncomingHttpHeaders } from "node:http";

/** What a route handler sees: an authenticated caller and an already-parsed, not-yet-validated body. */
export interface RouteContext {
  uid: string;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

export type RouteHandler = (ctx: RouteContext) => Promise<RouteResult>;

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  handler: RouteHandler;
}
