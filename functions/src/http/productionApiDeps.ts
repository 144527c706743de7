import { firestore } from "../admin";
import { FirestoreGpsStore } from "../gps/firestoreStore";
import { fcmMessenger } from "../notifications/fcmTransport";
import { FirestoreInstallationStore } from "../notifications/firestoreStore";
import { UPLOAD_POINTS_PER_DAY } from "../gps/gpsRoutes";
import { InMemoryRateLimiter } from "./rateLimit";
import type { ApiDeps } from "./routes";

/** The api's dependencies in production: Firestore-backed stores and FCM, created on the first request. */
export function productionApiDeps(): ApiDeps {
  return {
    now: Date.now,
    installations: new FirestoreInstallationStore(firestore),
    topics: fcmMessenger,
    gps: new FirestoreGpsStore(firestore),
    uploadQuota: new InMemoryRateLimiter({ capacity: UPLOAD_POINTS_PER_DAY, refillPerSecond: UPLOAD_POINTS_PER_DAY / 86_400 }),
  };
}
