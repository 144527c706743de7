import { firestore } from "../core/admin";
import { API_RATE_LIMIT_PER_MINUTE, CORS_ORIGINS, ENFORCE_APP_CHECK } from "../core/config";
import { adminIdTokenVerifier } from "../core/idTokens";
import { FirestoreGpsStore } from "../gps/firestoreStore";
import { UPLOAD_POINTS_PER_DAY } from "../gps/routes";
import { lazyDeps } from "../core/lazyDeps";
import { fcmMessenger } from "../notifications/fcmTransport";
import { FirestoreInstallationStore } from "../notifications/firestoreStore";
import { adminAppCheckVerifier } from "../http/adminAppCheckVerifier";
import { type ApiHandler, createApiHandler } from "../http/pipeline";
import { InMemoryRateLimiter } from "../http/rateLimit";
import { buildRoutes } from "./routes";

export interface ApiFunctionDeps {
  /** Every route of `buildRoutes` behind the pipeline; it holds the per-instance rate limits, so it is built once. */
  handler: ApiHandler;
}

const ports = lazyDeps<ApiFunctionDeps>({
  handler: () =>
    createApiHandler({
      verifier: adminIdTokenVerifier,
      routes: buildRoutes({
        now: Date.now,
        installations: new FirestoreInstallationStore(firestore),
        topics: fcmMessenger,
        gps: new FirestoreGpsStore(firestore),
        uploadQuota: new InMemoryRateLimiter({ capacity: UPLOAD_POINTS_PER_DAY, refillPerSecond: UPLOAD_POINTS_PER_DAY / 86_400 }),
      }),
      corsOrigins: () => CORS_ORIGINS.value(),
      appCheck: { verifier: adminAppCheckVerifier, enforce: () => ENFORCE_APP_CHECK.value() },
      rateLimiter: new InMemoryRateLimiter({
        capacity: API_RATE_LIMIT_PER_MINUTE.value(),
        refillPerSecond: API_RATE_LIMIT_PER_MINUTE.value() / 60,
      }),
    }),
});

/** The api's port in production: Firestore-backed stores, FCM and the Admin SDK's verifiers. */
export const apiDeps: () => ApiFunctionDeps = ports.get;
