import { getApps, initializeApp } from "firebase-admin/app";
import { firestore } from "../../src/admin";
import { FirestoreGpsStore } from "../../src/gps/firestoreStore";
import { gpsStoreContract } from "../gps/storeContract";

/** The Firestore GPS store against the Firestore emulator, running the in-memory store's contract. */
describe("FirestoreGpsStore contract (emulator)", function () {
  this.timeout(60_000);
  const project = process.env.GCLOUD_PROJECT ?? "demo-wolley";

  before(function () {
    if (!process.env.FIRESTORE_EMULATOR_HOST) {
      console.log("skipped: FIRESTORE_EMULATOR_HOST is unset (run under firebase emulators:exec with the Firestore emulator)");
      this.skip();
    }
  });

  gpsStoreContract(async () => {
    if (getApps().length === 0) initializeApp({ projectId: project });
    const db = firestore();
    await db.recursiveDelete(db.collection("gpsUsers"));
    return new FirestoreGpsStore(firestore);
  });
});
