import { getApps, initializeApp } from "firebase-admin/app";
import { firestore } from "../../src/admin";
import { FirestoreInstallationStore, FirestoreRunStore, INSTALLATIONS, PUSH_RUNS } from "../../src/notifications/firestoreStore";
import { installationStoreContract, runStoreContract } from "../notifications/storeContract";

/** The Firestore notification stores against the Firestore emulator, running the memory stores' contract. */
describe("Firestore notification stores contract (emulator)", function () {
  const project = process.env.GCLOUD_PROJECT ?? "demo-wolley";

  before(function () {
    if (!process.env.FIRESTORE_EMULATOR_HOST) {
      console.log("skipped: FIRESTORE_EMULATOR_HOST is unset (run under firebase emulators:exec with the Firestore emulator)");
      this.skip();
    }
  });

  async function clean(): Promise<void> {
    if (getApps().length === 0) initializeApp({ projectId: project });
    const db = firestore();
    for (const name of [INSTALLATIONS, PUSH_RUNS]) await db.recursiveDelete(db.collection(name));
  }

  describe("FirestoreInstallationStore", () => {
    installationStoreContract(async () => {
      await clean();
      return new FirestoreInstallationStore(firestore);
    });
  });

  describe("FirestoreRunStore", () => {
    runStoreContract(async () => {
      await clean();
      return new FirestoreRunStore(firestore);
    });
  });
});
