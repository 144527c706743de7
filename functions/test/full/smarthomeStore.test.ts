import { getApps, initializeApp } from "firebase-admin/app";
import { database, firestore } from "../../src/core/admin";
import { PROCESSED_EVENTS } from "../../src/core/firestoreOnce";
import { FirestoreAlertGate } from "../../src/integrations/alertGateFirestore";
import { FirebaseSmarthomeStore } from "../../src/smarthome/firebaseStore";
import { alertGateContract } from "../integrations/alertGateContract";
import { smarthomeStoreContract } from "../smarthome/storeContract";

/**
 * The Firebase SmarthomeStore and the Firestore AlertGate against the emulators (`firebase emulators:exec`), running
 * the same contracts as the memory implementations. The Firestore cases need only the Firestore emulator; the
 * Realtime Database cases skip with a message when its emulator is not running.
 */
describe("FirebaseSmarthomeStore and FirestoreAlertGate contracts (emulators)", function () {
  const firestoreHost = process.env.FIRESTORE_EMULATOR_HOST;
  const databaseHost = process.env.FIREBASE_DATABASE_EMULATOR_HOST;
  const project = process.env.GCLOUD_PROJECT ?? "demo-wolley";

  before(function () {
    if (!firestoreHost) {
      console.log("skipped: FIRESTORE_EMULATOR_HOST is not set (run under firebase emulators:exec with the Firestore emulator)");
      this.skip();
    }
  });

  async function emptied(collections: readonly string[]): Promise<void> {
    if (getApps().length === 0) {
      initializeApp(databaseHost ? { projectId: project, databaseURL: `http://${databaseHost}?ns=${project}-default-rtdb` } : { projectId: project });
    }
    const db = firestore();
    for (const name of collections) await db.recursiveDelete(db.collection(name));
  }

  smarthomeStoreContract(async () => {
    await emptied(["appliance_alarm", "schedule_mode", "smarthome_state", PROCESSED_EVENTS]);
    if (databaseHost) await database().ref().set(null);
    const db = firestore();
    return {
      store: new FirebaseSmarthomeStore(),
      rtdbUnavailable: databaseHost ? undefined : "FIREBASE_DATABASE_EMULATOR_HOST is unset (no Realtime Database emulator running)",
      seedSchedule: async (id, data) => {
        await db.collection("schedule_mode").doc(id).set(data);
      },
      readSchedule: async (id) => (await db.collection("schedule_mode").doc(id).get()).data(),
      alarmIds: async () => (await db.collection("appliance_alarm").get()).docs.map((d) => d.id),
      readAlarmIds: async () => (await db.collection("appliance_alarm").orderBy("__name__").get()).docs.map((d) => d.id),
    };
  });

  describe("FirestoreAlertGate", () => {
    alertGateContract(async () => {
      await emptied(["alert_state"]);
      return new FirestoreAlertGate();
    });
  });
});
