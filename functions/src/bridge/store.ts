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

export interface MemoryBridgeStore extends BridgeStore {
  readonly processed: Set<string>;
  readonly users: Map<string, { name: string }>;
  readonly schedules: Map<string, Schedule>;
  /** Every status written, in order (the last one is the current `smarthome/status`). */
  readonly statuses: string[];
}

export function memoryBridgeStore(): MemoryBridgeStore {
  const processed = new Set<string>();
  const users = new Map<string, { name: string }>();
  const schedules = new Map<string, Schedule>();
  const statuses: string[] = [];
  return {
    processed,
    users,
    schedules,
    statuses,
    isProcessed: (key) => Promise.resolve(processed.has(key)),
    markProcessed: (key) => {
      processed.add(key);
      return Promise.resolve();
    },
    upsertUserAccount: (uid, name) => {
      users.set(uid, { name });
      return Promise.resolve();
    },
    userName: (uid) => Promise.resolve(users.get(uid)?.name),
    putSchedule: (schedule) => {
      schedules.set(schedule.title, structuredClone(schedule));
      return Promise.resolve();
    },
    setSmarthomeStatus: (status) => {
      statuses.push(status);
      return Promise.resolve();
    },
  };
}
