import { firestore } from "../admin";
import { FirestoreGpsStore } from "../gps/firestoreStore";
import { FirestoreInstallationStore } from "../notifications/firestoreStore";
import type { ApiDeps } from "./routes";

/** The api's dependencies in production: Firestore-backed stores, created on the first request. */
export function productionApiDeps(): ApiDeps {
  return { now: Date.now, installations: new FirestoreInstallationStore(firestore), gps: new FirestoreGpsStore(firestore) };
}
