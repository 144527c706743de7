import type { z } from "zod";
import { issueDetails } from "../core/zodIssues";
import { badRequest } from "./errors";

/** The body `schema` accepts, or a 400 `invalid_body` listing every issue by its field's dotted path. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw badRequest("invalid_body", issueDetails(result.error.issues));
  return result.data;
}
