/**
 * `defineRoute`: a route's method, path, request schemas and response schemas in one declaration. The pipeline
 * validates requests with these schemas, the OpenAPI document (openapi.ts) is generated from them, and the tests
 * hold every response to them, so the contract and the code cannot drift apart.
 */
import { z } from "zod";
import { issueDetails } from "../core/zodIssues";
import { badRequest } from "./errors";
import type { Deprecation, Method, RawContext, ResponseSpec, Route, RouteResult } from "./types";

export interface RouteContext<P, Q, B> {
  uid: string;
  params: P;
  query: Q;
  body: B;
  headers: RawContext["headers"];
}

export interface RouteSpec<P extends z.ZodObject | undefined, Q extends z.ZodObject | undefined, B extends z.ZodType | undefined, T> {
  method: Method;
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  auth?: "user" | "public";
  params?: P;
  query?: Q;
  body?: B;
  /**
   * Validates the body instead of `body.parse`, for bodies whose items are checked one by one so a rejection can
   * name each bad item. What it accepts must be what `body` documents.
   */
  parseBody?: (raw: unknown) => T;
  responses: Record<number, ResponseSpec>;
  deprecated?: Deprecation;
  handler: (ctx: RouteContext<Output<P>, Output<Q>, T>) => Promise<RouteResult>;
}

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

export function defineRoute<
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  T = Output<B>,
>(spec: RouteSpec<P, Q, B, T>): Route {
  const { handler, parseBody, ...declared } = spec;
  const route: Route = {
    ...declared,
    auth: spec.auth ?? "user",
    tags: spec.tags,
    handle: (ctx) => {
      const params = validate(spec.params, ctx.params, "invalid_path");
      const query = validate(spec.query, firstValues(ctx.query), "invalid_query");
      let body: unknown = undefined;
      if (spec.body) {
        if (ctx.body === undefined) throw badRequest("invalid_body", [{ path: "", message: "a JSON body is required" }]);
        body = parseBody ? parseBody(ctx.body) : validate(spec.body, ctx.body, "invalid_body");
      }
      return handler({ uid: ctx.uid, params, query, body, headers: ctx.headers } as RouteContext<Output<P>, Output<Q>, T>);
    },
  };
  return route;
}

function validate(schema: z.ZodType | undefined, value: unknown, code: string): unknown {
  return schema ? parseOr400(schema, value, code) : undefined;
}

function parseOr400<T>(schema: z.ZodType<T>, value: unknown, code: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(code, issueDetails(result.error.issues));
  return result.data;
}

/** The body `schema` accepts, or a 400 `invalid_body` listing every issue by its field's dotted path. */
export function validBody<T>(schema: z.ZodType<T>, body: unknown): T {
  return parseOr400(schema, body, "invalid_body");
}

/** A repeated query key is read by its first value, as URLSearchParams.get does. */
function firstValues(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of query) if (!(key in out)) out[key] = value;
  return out;
}

/** The error body every refusal carries. */
export const errorBodySchema = z
  .object({
    error: z.string().meta({ description: "machine-readable code, listed in docs/api.md" }),
    details: z.unknown().meta({ description: "what was wrong; an empty object when there is nothing to add" }),
  })
  .meta({ id: "Error" });

export const errorResponse = (description: string): ResponseSpec => ({ description, schema: errorBodySchema });
