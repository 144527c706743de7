import { onRequest } from "firebase-functions/v2/https";
import { API_RATE_LIMIT_PER_MINUTE, CORS_ORIGINS, ENFORCE_APP_CHECK, FUNCTION_DEFAULTS } from "../config";
import { type ApiHandler, createApiHandler } from "./api";
import { adminAppCheckVerifier } from "./adminAppCheckVerifier";
import { adminTokenVerifier } from "./adminTokenVerifier";
import { productionApiDeps } from "./productionApiDeps";
import { InMemoryRateLimiter } from "./rateLimit";
import { buildRoutes } from "./routes";

let handler: ApiHandler | undefined;

/** The HTTPS api; the pipeline is built on the first request so discovery never touches stores. */
export const api = onRequest({ ...FUNCTION_DEFAULTS, cors: false, invoker: "public" }, async (req, res) => {
  handler ??= createApiHandler({
    verifier: adminTokenVerifier,
    routes: buildRoutes(productionApiDeps()),
    corsOrigins: () => CORS_ORIGINS.value(),
    appCheck: { verifier: adminAppCheckVerifier, enforce: () => ENFORCE_APP_CHECK.value() },
    rateLimiter: new InMemoryRateLimiter({
      capacity: API_RATE_LIMIT_PER_MINUTE.value(),
      refillPerSecond: API_RATE_LIMIT_PER_MINUTE.value() / 60,
    }),
  });
  await handler(req, res);
});
