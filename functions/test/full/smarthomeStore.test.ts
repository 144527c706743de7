import { getApps, initializeApp } from "firebase-admin/app";
import { database, firestore } from "../../src/admin";
import { FirebaseSmarthomeStore } from "../../src/smarthome/firebaseStore";
import { smarthomeStoreContract } from "../smarthome/storeContract";

/**
 * The Firebase SmarthomeStore against the Firestore and Realtime Database emulators (`firebase emulators:exec`),
 * running the same contract as the memory store.
 */
describe("FirebaseSmarthomeStore contract (emulators)", function () {
  const firestoreHost = process.env.FIRESTORE_EMULATOR_HOST;
  const databaseHost = process.env.FIREBASE_DATABASE_EMULATOR_HOST;
  const project = process.env.GCLOUD_PROJECT ?? "demo-wolley";

  before(function () {
    if (!firestoreHost || !databaseHost) {
      console.log("skipped: FIRESTORE_EMULATOR_HOST and FIREBASE_DATABASE_EMULATOR_HOST are not set (run under firebase emulators:exec)");
      this.skip();
    }
  });

  smarthomeStoreContract(async () => {
    if (getApps().length === 0) initializeApp({ projectId: project, databaseURL: `http://${databaseHost}?ns=${project}-default-rtdb` });
    const db = firestore();
    for (const name of ["appliance_alarm", "schedule_mode", "smarthome_state"]) await db.recursiveDelete(db.collection(name));
    await database().ref().set(null);
    return {
      store: new FirebaseSmarthomeStore(),
      seedSchedule: async (id, data) => {
        await db.collection("schedule_mode").doc(id).set(data);
      },
      readSchedule: async (id) => (await db.collection("schedule_mode").doc(id).get()).data(),
      alarmIds: async () => (await db.collection("appliance_alarm").get()).docs.map((d) => d.id),
    };
  });
});
