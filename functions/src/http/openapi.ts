/**
 * The OpenAPI 3.1 document of the api, generated from the routes' own declarations (defineRoute): the zod schemas
 * that validate requests and describe responses become its JSON Schemas (zod 4's `z.toJSONSchema`), so the document
 * and the code cannot disagree. `npm run openapi` writes it to docs/openapi.json; the api serves it at
 * `GET /v1/openapi.json`.
 */
import { z } from "zod";
import { MAX_BODY_BYTES } from "./body";
import { errorResponse } from "./route";
import type { ResponseSpec, Route } from "./types";

const OPENAPI_VERSION = "1.1.0";

/** Refusals any route can answer, by what the route declares; a route's own entry for a status wins. */
export function responsesOf(route: Route): Record<number, ResponseSpec> {
  const common: Record<number, ResponseSpec> = {};
  if (route.params || route.query || route.body) common[400] = errorResponse("the request does not validate (`invalid_path`, `invalid_query`, `invalid_body`, …)");
  if (route.auth === "user") {
    common[401] = errorResponse("no valid Firebase ID token (`missing_or_malformed_bearer_token`, `invalid_token`) or, when enforced, App Check token (`app_check_required`)");
    common[429] = errorResponse("`rate_limited`: the caller's request quota is spent; retry after `Retry-After` seconds");
  }
  if (route.body) {
    common[413] = errorResponse(`the body is over ${MAX_BODY_BYTES} bytes, before or after decompression (\`payload_too_large\`)`);
    common[415] = errorResponse("the body is not `application/json`, or its `Content-Encoding` is not gzip, deflate or identity");
  }
  common[500] = errorResponse("an internal failure (`internal`); details are logged, never returned");
  return { ...common, ...route.responses };
}

const jsonSchema = (schema: z.ZodType, io: "input" | "output"): Record<string, unknown> => {
  // The document states the dialect once (OpenAPI 3.1 is JSON Schema 2020-12); no per-schema `$schema`.
  const out = { ...(z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>) };
  delete out.$schema;
  return out;
};

function parameters(route: Route): unknown[] {
  const out: unknown[] = [];
  for (const [where, schema] of [["path", route.params], ["query", route.query]] as const) {
    if (!schema) continue;
    const shape = jsonSchema(schema, "input") as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
    for (const [name, property] of Object.entries(shape.properties ?? {})) {
      const { description, ...rest } = property;
      out.push({ name, in: where, required: where === "path" || (shape.required ?? []).includes(name), schema: rest, ...(description ? { description } : {}) });
    }
  }
  return out;
}

function operation(route: Route): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(responsesOf(route))) {
    responses[status] = { description: spec.description, content: { "application/json": { schema: jsonSchema(spec.schema, "output") } } };
  }
  const op: Record<string, unknown> = {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[{}]/g, "").replace(/[/.-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
    summary: route.summary,
    tags: route.tags,
    ...(route.description ? { description: route.description } : {}),
    security: route.auth === "user" ? [{ firebaseIdToken: [] }, { firebaseIdToken: [], appCheck: [] }] : [],
  };
  const params = parameters(route);
  if (params.length > 0) op.parameters = params;
  if (route.body) op.requestBody = { required: true, content: { "application/json": { schema: jsonSchema(route.body, "input") } } };
  op.responses = responses;
  if (route.deprecated) {
    op.deprecated = true;
    op.description = `Deprecated since ${route.deprecated.since}, answers until ${route.deprecated.sunset} with \`Deprecation\`, \`Sunset\` and \`Link\` headers; successor: \`${route.deprecated.successor}\`.`;
  }
  return op;
}

export function buildOpenApi(routes: readonly Route[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Wolley Home api",
      version: OPENAPI_VERSION,
      description: "The HTTPS api of the Wolley daily-life app. Reference with examples: docs/api.md.",
    },
    servers: [
      { url: "https://asia-northeast3-{project}.cloudfunctions.net/api", variables: { project: { default: "your-project-id" } } },
      { url: "http://127.0.0.1:5001/demo-wolley/asia-northeast3/api", description: "Functions emulator (`npm start`)" },
    ],
    components: {
      securitySchemes: {
        firebaseIdToken: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A Firebase Auth ID token of the signed-in user" },
        appCheck: { type: "apiKey", in: "header", name: "X-Firebase-AppCheck", description: "A Firebase App Check token; required only when the project enforces App Check (ENFORCE_APP_CHECK)" },
      },
    },
    paths,
  };
}
