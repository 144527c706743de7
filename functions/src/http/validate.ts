import "./zodMessages";
import type { z } from "zod";
import { badRequest } from "./errors";

export interface IssueDetail {
  path: string;
  message: string;
}

/** Zod issues as a 400's `details`: each names the offending field by its dotted path. */
export function issueDetails(issues: readonly { path: readonly PropertyKey[]; message: string }[]): IssueDetail[] {
  return issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

/** The body `schema` accepts, or a 400 `invalid_body` listing every issue. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw badRequest("invalid_body", issueDetails(result.error.issues));
  return result.data;
}
