import type { z } from "zod";
import { badRequest, notFound } from "../http/errors";
import type { Route } from "../http/types";
import { parseBody } from "../http/validate";
import type { InstallationStore } from "./store";
import { registrationSchema, unregistrationSchema } from "./tokens";

export interface InstallationRouteDeps {
  installations: InstallationStore;
  now: () => number;
}

/**
 * `PUT /v1/installations` registers or refreshes the caller's installation (idempotent: the app calls it on every
 * start and on every token refresh). `DELETE /v1/installations` with `{installationId}` removes it (sign-out).
 */
export function installationRoutes(deps: InstallationRouteDeps): Route[] {
  return [
    {
      method: "PUT",
      path: "/v1/installations",
      handler: async ({ uid, body }) => {
        const registration = parse(registrationSchema, body);
        const result = await deps.installations.register(uid, registration, deps.now());
        return {
          status: result.created ? 201 : 200,
          body: { installationId: registration.installationId, created: result.created, replaced: result.movedFrom.length },
        };
      },
    },
    {
      method: "DELETE",
      path: "/v1/installations",
      handler: async ({ uid, body }) => {
        const { installationId } = parse(unregistrationSchema, body);
        if (!(await deps.installations.unregister(uid, installationId))) throw notFound("installation_not_found");
        return { status: 200, body: { installationId, removed: true } };
      },
    },
  ];
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === undefined) throw badRequest("invalid_body", [{ path: "", message: "a JSON body is required" }]);
  return parseBody(schema, body);
}
