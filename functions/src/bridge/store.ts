/**
 * Everything `mqttInbound` reads or writes. The Firebase implementation is the only code of this domain touching
 * Firestore and the Realtime Database; the in-memory one honours the same contract for tests.
 */
import { z } from "zod";
import { database, firestore } from "../core/admin";
import { processedEventsLedger } from "../core/firestoreOnce";
import type { OnceLedger } from "../core/once";
import { SMARTHOME_COLLECTIONS, SMARTHOME_PATHS } from "../smarthome/paths";
import type { Schedule } from "./commands";

export interface BridgeStore {
  /** `processed_events`: which messages had all their effects applied. */
  readonly processed: OnceLedger;
  /** `user_account/{uid}` `{name}`; overwrites the name when the account exists (a repeated signup is harmless). */
  upsertUserAccount(uid: string, name: string): Promise<void>;
  /** The account's name, or undefined when there is no valid account. */
  userName(uid: string): Promise<string | undefined>;
  /** `schedule_mode/{title}`; a schedule with the same title is replaced, as in the original. */
  putSchedule(schedule: Schedule): Promise<void>;
  /** RTDB `smarthome/status`. */
  setSmarthomeStatus(status: string): Promise<void>;
}

const UserAccountSchema = z.object({ name: z.string() });

export function firebaseBridgeStore(): BridgeStore {
  return {
    processed: processedEventsLedger(),
    async upsertUserAccount(uid, name) {
      await firestore().collection(SMARTHOME_COLLECTIONS.userAccounts).doc(uid).set({ name }, { merge: true });
    },
    async userName(uid) {
      const snap = await firestore().collection(SMARTHOME_COLLECTIONS.userAccounts).doc(uid).get();
      const parsed = UserAccountSchema.safeParse(snap.data());
      return parsed.success ? parsed.data.name : undefined;
    },
    async putSchedule(schedule) {
      await firestore().collection(SMARTHOME_COLLECTIONS.schedules).doc(schedule.title).set(schedule);
    },
    async setSmarthomeStatus(status) {
      await database().ref(SMARTHOME_PATHS.status).set(status);
    },
  };
}
