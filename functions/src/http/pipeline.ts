import type { ServerResponse } from "node:http";
import cors from "cors";
import Router from "router";
import type { IdTokenVerifier } from "../core/idTokens";
import * as logs from "../core/logs";
import { APP_CHECK_HEADER, type AppCheckOptions, requireAppCheck } from "./appCheck";
import { authenticate, unverifiedUid } from "./auth";
import { type ApiIncomingMessage, parseJsonBody, readBody } from "./body";
import { type ErrorBody, HttpError, retryLater } from "./errors";
import type { RateDecision, RateLimiter } from "./rateLimit";
import type { Deprecation, Method, Route } from "./types";

export interface ApiOptions {
  verifier: IdTokenVerifier;
  routes: readonly Route[];
  /** Read per request: params are only readable at run time, and a bad value must fail as a JSON 500. */
  corsOrigins: () => readonly string[];
  /** When given and switched on, requests without a valid `X-Firebase-AppCheck` token are refused before auth. */
  appCheck?: AppCheckOptions;
  /** When given, each verified uid spends one request of its quota; an empty quota answers 429 with Retry-After. */
  rateLimiter?: RateLimiter;
}

export type ApiHandler = (req: ApiIncomingMessage, res: ServerResponse) => Promise<void>;

/** The handler, and what its router serves (`/v1/places/:id` with its methods) for the contract tests. */
export type Api = ApiHandler & { listRoutes(): { path: string; methods: string[] }[] };

type RoutedRequest = ApiIncomingMessage & { params?: Record<string, string> };

const ALLOWED_HEADERS = ["Authorization", "Content-Type", "Content-Encoding", "X-Firebase-AppCheck"];
// Not CORS-safelisted: without these a browser app cannot read how long a 429 asks it to wait, or that a route it
// calls is deprecated.
const EXPOSED_HEADERS = ["Retry-After", "Deprecation", "Sunset", "Link", "Allow"];

/** `/v1/places/{id}` (OpenAPI) as the router's `/v1/places/:id`. */
const routerPath = (path: string): string => path.replace(/\{(\w+)\}/g, ":$1");

/**
 * Builds the request pipeline on pillarjs' router (Express 5's): CORS (the `cors` middleware), routing with 404 and
 * 405 + `Allow`, then per route App Check, a rate-limit peek, auth, the rate limit, the body, the handler, JSON
 * errors. The cheap refusals come first so a flood of bad requests never reaches the Auth lookup or the body parser.
 */
export function createApiHandler(options: ApiOptions): Api {
  // Each request's promise settles when its answer has been written, whichever layer wrote it.
  const answered = new WeakMap<object, () => void>();
  const settle = (req: object): void => answered.get(req)?.();
  const router = Router({ caseSensitive: true });
  const corsMiddleware = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && options.corsOrigins().includes(origin)),
    methods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 3600,
  });
  router.use((req: RoutedRequest, res: ServerResponse, next: (err?: unknown) => void) => {
    corsMiddleware(req, res, next);
    // cors answers every OPTIONS request itself (a preflight), synchronously, and does not call next.
    if (req.method === "OPTIONS") settle(req);
  });
  const byPath = new Map<string, Route[]>();
  for (const route of options.routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  for (const [path, routes] of byPath) {
    const entry = router.route(routerPath(path));
    const allow = routes.map((r) => r.method).join(", ");
    for (const route of routes) {
      entry[lower(route.method)]((req: RoutedRequest, res: ServerResponse, next: (err?: unknown) => void) => {
        serveRoute(options, route, req, res).then(() => settle(req), next);
      });
    }
    entry.all((_req: RoutedRequest, _res: ServerResponse, next: (err?: unknown) => void) => {
      next(new HttpError(405, "method_not_allowed", { allow }, { Allow: allow }));
    });
  }
  const handler: ApiHandler = (req, res) =>
    new Promise<void>((resolve) => {
      answered.set(req, resolve);
      const method = req.method ?? "GET";
      const done = (err?: unknown): void => {
        const path = req.url ?? "/";
        sendError(res, err ?? new HttpError(404, "not_found", { path: pathOf(path) }), method, path);
        resolve();
      };
      try {
        parseUrl(req.url);
      } catch (err) {
        done(err);
        return;
      }
      router(req, res, done);
    });
  const listRoutes = (): { path: string; methods: string[] }[] =>
    router.listRoutes().map((r) => ({ path: String(r.path), methods: (r.methods ?? []).filter((m) => m !== "*" && m !== "HEAD") }));
  return Object.assign(handler, { listRoutes });
}

async function serveRoute(options: ApiOptions, route: Route, req: RoutedRequest, res: ServerResponse): Promise<void> {
  const url = parseUrl(req.url);
  if (route.deprecated) setDeprecation(res, route.deprecated);
  let uid = "";
  if (route.auth === "user") {
    if (options.appCheck?.enforce()) await requireAppCheck(req.headers[APP_CHECK_HEADER], options.appCheck.verifier);
    if (options.rateLimiter) await peekQuota(options.rateLimiter, unverifiedUid(req.headers.authorization));
    uid = await authenticate(req.headers.authorization, options.verifier);
    if (options.rateLimiter) await spendQuota(options.rateLimiter, uid);
  }
  const body = route.body ? parseJsonBody(await readBody(req), req.headers["content-type"]) : undefined;
  const result = await route.handle({ uid, params: req.params ?? {}, query: url.searchParams, headers: req.headers, body });
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
  sendJson(res, result.status, result.body);
}

const lower = (method: Method): "get" | "post" | "put" | "delete" => method.toLowerCase() as "get" | "post" | "put" | "delete";

/** Node hands over the raw request target; an absolute-form target with a broken host makes `new URL` throw. */
function parseUrl(target: string | undefined): URL {
  try {
    return new URL(target ?? "/", "http://api.invalid");
  } catch {
    throw new HttpError(400, "invalid_url");
  }
}

function pathOf(target: string): string {
  try {
    return new URL(target, "http://api.invalid").pathname;
  } catch {
    return "";
  }
}

/** RFC 9745 `Deprecation` (a structured date), RFC 8594 `Sunset` (an HTTP date) and the successor as a `Link`. */
function setDeprecation(res: ServerResponse, deprecation: Deprecation): void {
  res.setHeader("Deprecation", `@${Math.floor(Date.parse(deprecation.since) / 1000)}`);
  res.setHeader("Sunset", new Date(deprecation.sunset).toUTCString());
  const [, path] = deprecation.successor.split(" ");
  res.setHeader("Link", `<${path ?? deprecation.successor}>; rel="successor-version"`);
}

/**
 * Before the token is verified: a caller whose quota is already empty is refused on the uid its token claims,
 * without the Auth lookup. Peeking spends nothing, so a forged claim can only learn that its victim is limited.
 */
async function peekQuota(limiter: RateLimiter, claimed: string | undefined): Promise<void> {
  if (claimed === undefined || !limiter.peek) return;
  await decideQuota(() => limiter.peek!(claimed));
}

async function spendQuota(limiter: RateLimiter, uid: string): Promise<void> {
  await decideQuota(() => limiter.take(uid));
}

/** Fails open: the limiter guards capacity, not access, so its own outage must not take the api down. */
async function decideQuota(ask: () => Promise<RateDecision>): Promise<void> {
  let decision: RateDecision;
  try {
    decision = await ask();
  } catch (err) {
    logs.error("api_rate_limiter_failed", err);
    return;
  }
  if (!decision.allowed) throw retryLater(429, "rate_limited", decision.retryAfterSeconds);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body ?? null);
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.end(payload);
}

/** The router's own errors (a path parameter that is not valid percent-encoding) carry a 4xx `status`. */
function routerStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 400 && status < 500 ? status : undefined;
}

function sendError(res: ServerResponse, err: unknown, method: string, path: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (err instanceof HttpError) {
    for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
    const body: ErrorBody = { error: err.code, details: err.details ?? {} };
    sendJson(res, err.status, body);
    return;
  }
  if (routerStatus(err) !== undefined) {
    sendJson(res, 400, { error: "invalid_path", details: {} } satisfies ErrorBody);
    return;
  }
  logs.error("api_internal_error", err, { method, path, cause: logs.describeError(err).message });
  sendJson(res, 500, { error: "internal", details: {} } satisfies ErrorBody);
}
