import { onRequest } from "firebase-functions/v2/https";
import { FUNCTION_DEFAULTS } from "../core/config";
import { apiDeps } from "./deps";

/** The HTTPS api: every route, behind auth, App Check, rate limits, CORS and JSON errors (createApiHandler). */
export const api = onRequest({ ...FUNCTION_DEFAULTS, cors: false, invoker: "public" }, async (req, res) => {
  await apiDeps().handler(req, res);
});
