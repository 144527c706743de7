/**
 * Everything `mqttInbound` reads or writes. The Firebase implementation is the only code of this domain touching
 * Firestore and the Realtime Database; the in-memory one honours the same contract for tests.
 */
import { z } from "zod";
import { database, firestore } from "../admin";
import type { Schedule } from "./commands";

export interface BridgeStore {
  /** True once `markProcessed(key)` has run: the event's effects are all applied. */
  isProcessed(key: string): Promise<boolean>;
  markProcessed(key: string): Promise<void>;
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

/** Processed-event markers expire after a week (Firestore TTL on `expireAt`); redeliveries come within minutes. */
const PROCESSED_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function firebaseBridgeStore(now: () => number = Date.now): BridgeStore {
  return {
    async isProcessed(key) {
      const snap = await firestore().collection("processed_events").doc(key).get();
      return snap.exists;
    },
    async markProcessed(key) {
      await firestore().collection("processed_events").doc(key).set({ at: now(), expireAt: new Date(now() + PROCESSED_TTL_MS) });
    },
    async upsertUserAccount(uid, name) {
      await firestore().collection("user_account").doc(uid).set({ name }, { merge: true });
    },
    async userName(uid) {
      const snap = await firestore().collection("user_account").doc(uid).get();
      const parsed = UserAccountSchema.safeParse(snap.data());
      return parsed.success ? parsed.data.name : undefined;
    },
    async putSchedule(schedule) {
      await firestore().collection("schedule_mode").doc(schedule.title).set(schedule);
    },
    async setSmarthomeStatus(status) {
      await database().ref("smarthome/status").set(status);
    },
  };
}
