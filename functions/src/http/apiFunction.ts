import { onRequest } from "firebase-functions/v2/https";
import { CORS_ORIGINS, FUNCTION_DEFAULTS } from "../config";
import { type ApiHandler, createApiHandler } from "./api";
import { adminTokenVerifier } from "./adminTokenVerifier";
import { productionApiDeps } from "./productionApiDeps";
import { buildRoutes } from "./routes";

let handler: ApiHandler | undefined;

/** The HTTPS api; the pipeline is built on the first request so discovery never touches stores. */
export const api = onRequest({ ...FUNCTION_DEFAULTS, cors: false, invoker: "public" }, async (req, res) => {
  handler ??= createApiHandler({
    verifier: adminTokenVerifier,
    routes: buildRoutes(productionApiDeps()),
    corsOrigins: () => CORS_ORIGINS.value(),
  });
  await handler(req, res);
});
