import type { ServerResponse } from "node:http";
import * as logs from "../logs";
import { APP_CHECK_HEADER, type AppCheckOptions, requireAppCheck } from "./appCheck";
import { authenticate, type TokenVerifier } from "./auth";
import { type ApiIncomingMessage, parseJsonBody, readRawBody } from "./body";
import { type ErrorBody, HttpError } from "./errors";
import type { RateDecision, RateLimiter } from "./rateLimit";
import type { Route } from "./types";

export interface ApiOptions {
  verifier: TokenVerifier;
  routes: readonly Route[];
  /** Read per request: params are only readable at run time, and a bad value must fail as a JSON 500. */
  corsOrigins: () => readonly string[];
  /** When given and switched on, requests without a valid `X-Firebase-AppCheck` token are refused before auth. */
  appCheck?: AppCheckOptions;
  /** When given, each verified uid spends one request of its quota; an empty quota answers 429 with Retry-After. */
  rateLimiter?: RateLimiter;
}

export type ApiHandler = (req: ApiIncomingMessage, res: ServerResponse) => Promise<void>;

const ALLOWED_HEADERS = "Authorization, Content-Type, X-Firebase-AppCheck";

/**
 * Builds the request pipeline: CORS, routing, App Check, auth, rate limit, body parsing, handler, JSON errors. The
 * cheap refusals come first so a flood of bad requests never reaches the Auth lookup or the body parser.
 */
export function createApiHandler(options: ApiOptions): ApiHandler {
  return async (req, res) => {
    const method = (req.method ?? "GET").toUpperCase();
    let pathname = "/";
    try {
      const url = parseUrl(req.url);
      pathname = url.pathname;
      applyCors(req.headers.origin, options.corsOrigins(), res);
      if (method === "OPTIONS") {
        res.statusCode = 204;
        res.end();
        return;
      }
      const route = matchRoute(options.routes, method, url.pathname);
      if (options.appCheck?.enforce()) await requireAppCheck(req.headers[APP_CHECK_HEADER], options.appCheck.verifier);
      const uid = await authenticate(req.headers.authorization, options.verifier);
      if (options.rateLimiter) await spendQuota(options.rateLimiter, uid);
      const body = parseJsonBody(await readRawBody(req), req.headers["content-type"]);
      const result = await route.handler({
        uid,
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
      });
      sendJson(res, result.status, result.body);
    } catch (err) {
      sendError(res, err, method, pathname);
    }
  };
}

/** Node hands over the raw request target; an absolute-form target with a broken host makes `new URL` throw. */
function parseUrl(target: string | undefined): URL {
  try {
    return new URL(target ?? "/", "http://api.invalid");
  } catch {
    throw new HttpError(400, "invalid_url");
  }
}

/** Fails open: the limiter guards capacity, not access, so its own outage must not take the api down. */
async function spendQuota(limiter: RateLimiter, uid: string): Promise<void> {
  let decision: RateDecision;
  try {
    decision = await limiter.take(uid);
  } catch (err) {
    logs.error("api_rate_limiter_failed", err);
    return;
  }
  if (!decision.allowed) {
    const retryAfter = String(decision.retryAfterSeconds);
    throw new HttpError(429, "rate_limited", { retryAfterSeconds: decision.retryAfterSeconds }, { "Retry-After": retryAfter });
  }
}

function matchRoute(routes: readonly Route[], method: string, path: string): Route {
  const onPath = routes.filter((r) => r.path === path);
  if (onPath.length === 0) throw new HttpError(404, "not_found", { path });
  const route = onPath.find((r) => r.method === method);
  if (!route) {
    const allow = onPath.map((r) => r.method).join(", ");
    throw new HttpError(405, "method_not_allowed", { allow }, { Allow: allow });
  }
  return route;
}

function applyCors(origin: string | undefined, allowed: readonly string[], res: ServerResponse): void {
  res.setHeader("Vary", "Origin");
  if (!origin || !allowed.includes(origin)) return;
  res.setHeader("Access-Control-Allow-Origin", origin);
  res.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
  res.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
  // Not CORS-safelisted: without this a browser app cannot read how long a 429 asks it to wait.
  res.setHeader("Access-Control-Expose-Headers", "Retry-After");
  res.setHeader("Access-Control-Max-Age", "3600");
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body ?? null);
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.end(payload);
}

function sendError(res: ServerResponse, err: unknown, method: string, path: string): void {
  if (err instanceof HttpError) {
    for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
    const body: ErrorBody = { error: err.code, details: err.details ?? {} };
    sendJson(res, err.status, body);
    return;
  }
  logs.error("api_internal_error", err, { method, path, cause: logs.describeError(err).message });
  sendJson(res, 500, { error: "internal", details: {} } satisfies ErrorBody);
}
