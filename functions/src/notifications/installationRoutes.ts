import type { z } from "zod";
import { HttpError, badRequest, notFound } from "../http/errors";
import type { Route } from "../http/types";
import { parseBody } from "../http/validate";
import { type RegistryDeps, registerInstallation, unregisterInstallation } from "./registry";
import { registrationSchema, unregistrationSchema } from "./tokens";

export type InstallationRouteDeps = RegistryDeps;

/**
 * `PUT /v1/installations` registers or refreshes the caller's installation and subscribes its token to the wake-up
 * topic (idempotent: the app calls it on every start and on every token refresh). `DELETE /v1/installations` with
 * `{installationId}` removes it (sign-out).
 */
export function installationRoutes(deps: InstallationRouteDeps): Route[] {
  return [
    {
      method: "PUT",
      path: "/v1/installations",
      handler: async ({ uid, body }) => {
        const registration = parse(registrationSchema, body);
        const outcome = await registerInstallation(deps, uid, registration);
        if (!outcome.ok) {
          switch (outcome.reason) {
            case "owned_by_other":
              throw new HttpError(409, "installation_owned_by_another_user");
            case "token_rejected":
              throw badRequest("fcm_token_rejected", { code: outcome.failure.code });
            case "subscription_unavailable":
              throw new HttpError(503, "push_subscription_unavailable", { code: outcome.failure.code }, { "retry-after": "60" });
          }
        }
        return {
          status: outcome.created ? 201 : 200,
          body: { installationId: registration.installationId, created: outcome.created, replaced: outcome.replaced },
        };
      },
    },
    {
      method: "DELETE",
      path: "/v1/installations",
      handler: async ({ uid, body }) => {
        const { installationId } = parse(unregistrationSchema, body);
        if (!(await unregisterInstallation(deps, uid, installationId))) throw notFound("installation_not_found");
        return { status: 200, body: { installationId, removed: true } };
      },
    },
  ];
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === undefined) throw badRequest("invalid_body", [{ path: "", message: "a JSON body is required" }]);
  return parseBody(schema, body);
}
