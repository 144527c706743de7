import { z } from "zod";
import { HttpError, badRequest, notFound } from "../http/errors";
import { defineRoute, errorResponse } from "../http/route";
import type { Route } from "../http/types";
import { type RegistryDeps, registerInstallation, unregisterInstallation } from "./registry";
import { type Registration, installationIdSchema, registrationSchema, unregistrationSchema } from "./tokens";

export type InstallationRouteDeps = RegistryDeps;

const DEPRECATED = { since: "2026-12-02", sunset: "2027-06-30" };

const registered = z.object({ installationId: z.string(), created: z.boolean(), replaced: z.number().int().min(0) });
const removed = z.object({ installationId: z.string(), removed: z.literal(true) });
const idParams = z.object({ id: installationIdSchema });
/** The registration without its id, which the path carries. */
const registrationBody = registrationSchema.omit({ installationId: true });

const registerResponses = {
  200: { description: "the installation was refreshed (same outcome as the first call)", schema: registered },
  201: { description: "the installation was registered", schema: registered },
  400: errorResponse("invalid body, or FCM refused the token (`fcm_token_rejected`)"),
  409: errorResponse("another user registered this installation id (`installation_owned_by_another_user`); nothing changed"),
  503: errorResponse("FCM could not subscribe the token (`push_subscription_unavailable`); retry after `Retry-After` seconds"),
};
const unregisterResponses = {
  200: { description: "the caller's installation was removed", schema: removed },
  404: errorResponse("the caller owns no installation with this id (`installation_not_found`)"),
};

/**
 * `PUT /v1/installations/{id}` registers or refreshes the caller's installation and subscribes its token to the
 * wake-up topic (idempotent: the app calls it on every start and on every token refresh).
 * `DELETE /v1/installations/{id}` removes it (sign-out). The body forms of both are deprecated.
 */
export function installationRoutes(deps: InstallationRouteDeps): Route[] {
  const register = async (uid: string, registration: Registration) => {
    const outcome = await registerInstallation(deps, uid, registration);
    if (!outcome.ok) {
      switch (outcome.reason) {
        case "owned_by_other":
          throw new HttpError(409, "installation_owned_by_another_user");
        case "token_rejected":
          throw badRequest("fcm_token_rejected", { code: outcome.failure.code });
        case "subscription_unavailable":
          throw new HttpError(503, "push_subscription_unavailable", { code: outcome.failure.code }, { "Retry-After": "60" });
      }
    }
    return {
      status: outcome.created ? 201 : 200,
      body: { installationId: registration.installationId, created: outcome.created, replaced: outcome.replaced },
    };
  };
  const unregister = async (uid: string, installationId: string) => {
    if (!(await unregisterInstallation(deps, uid, installationId))) throw notFound("installation_not_found");
    return { status: 200, body: { installationId, removed: true } };
  };
  return [
    defineRoute({
      method: "PUT",
      path: "/v1/installations/{id}",
      summary: "Register or refresh the caller's installation (idempotent)",
      tags: ["notifications"],
      params: idParams,
      body: registrationBody,
      responses: registerResponses,
      handler: ({ uid, params, body }) => register(uid, { ...body, installationId: params.id }),
    }),
    defineRoute({
      method: "DELETE",
      path: "/v1/installations/{id}",
      summary: "Remove the caller's installation (sign-out)",
      tags: ["notifications"],
      params: idParams,
      responses: unregisterResponses,
      handler: ({ uid, params }) => unregister(uid, params.id),
    }),
    defineRoute({
      method: "PUT",
      path: "/v1/installations",
      summary: "Deprecated: register with the id in the body; use PUT /v1/installations/{id}",
      tags: ["notifications"],
      body: registrationSchema,
      responses: registerResponses,
      deprecated: { ...DEPRECATED, successor: "PUT /v1/installations/{id}" },
      handler: ({ uid, body }) => register(uid, body),
    }),
    defineRoute({
      method: "DELETE",
      path: "/v1/installations",
      summary: "Deprecated: remove with `{installationId}` in the body; use DELETE /v1/installations/{id}",
      tags: ["notifications"],
      body: unregistrationSchema,
      responses: unregisterResponses,
      deprecated: { ...DEPRECATED, successor: "DELETE /v1/installations/{id}" },
      handler: ({ uid, body }) => unregister(uid, body.installationId),
    }),
  ];
}
