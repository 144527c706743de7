/**
 * Holds every response the api tests receive over HTTP (support/http.ts `serve`) to the api's contract: the status
 * must be one docs/openapi.json lists for that route, and the body must match the schema that route declares for
 * it (the zod declaration the document was generated from; the document's test keeps the two equal). A mismatch
 * fails the running test from a root `afterEach` hook.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { responsesOf } from "../../src/http/openapi";
import { documentedRoutes } from "../../src/api/openapiDocument";
import { errorBodySchema } from "../../src/http/route";
import type { Route } from "../../src/http/types";

const DOC_FILE = path.resolve(__dirname, "..", "..", "..", "..", "docs", "openapi.json");

interface Documented {
  route: Route;
  pattern: RegExp;
}

let routes: Documented[] | undefined;
let documentPaths: Record<string, Record<string, { responses: Record<string, unknown> }>> | undefined;
const violations: string[] = [];

function load(): Documented[] {
  routes ??= documentedRoutes().map((route) => ({
    route,
    pattern: new RegExp(`^${route.path.replace(/[.]/g, "\\.").replace(/\{\w+\}/g, "[^/]+")}/?$`),
  }));
  documentPaths ??= (JSON.parse(readFileSync(DOC_FILE, "utf8")) as { paths: typeof documentPaths }).paths;
  return routes;
}

/** Checks one response; records a violation instead of throwing, since it runs inside the server. */
export function checkResponse(method: string, target: string, status: number, contentType: string, text: string): void {
  if (method === "OPTIONS" || !URL.canParse(target, "http://api.invalid")) return;
  const pathname = new URL(target, "http://api.invalid").pathname;
  const onPath = load().filter((d) => d.pattern.test(pathname));
  const label = `${method} ${pathname} -> ${status}`;
  if (onPath.length === 0) return;
  if (!/^application\/json/.test(contentType)) {
    violations.push(`${label}: not JSON (${contentType})`);
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    violations.push(`${label}: body is not JSON`);
    return;
  }
  const documented = onPath.find((d) => d.route.method === method);
  if (!documented) {
    if (status !== 405 || !errorBodySchema.safeParse(body).success) violations.push(`${label}: undocumented method answered ${text.slice(0, 200)}`);
    return;
  }
  const spec = responsesOf(documented.route)[status];
  const inFile = documentPaths?.[documented.route.path]?.[method.toLowerCase()]?.responses[String(status)];
  if (!spec || !inFile) {
    violations.push(`${label}: status not in docs/openapi.json for ${method} ${documented.route.path}: ${text.slice(0, 200)}`);
    return;
  }
  const result = spec.schema.safeParse(body);
  if (!result.success) violations.push(`${label}: body does not match the documented schema: ${result.error.message.slice(0, 400)}`);
}

afterEach(function () {
  const found = violations.splice(0);
  if (found.length > 0) throw new Error(`responses outside the api contract:\n${found.join("\n")}`);
});
