import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { firestore } from "../admin";
import { lazyDeps } from "../lazyDeps";
import type { FanoutDeps } from "./fanout";
import { fcmTransport } from "./fcmTransport";
import { FirestoreInstallationStore, FirestoreRunStore } from "./firestoreStore";
import { cloudTasksContinuation } from "./taskContinuation";

const ports = lazyDeps<FanoutDeps>(() => ({
  installations: new FirestoreInstallationStore(firestore),
  runs: new FirestoreRunStore(firestore),
  transport: fcmTransport,
  continuation: cloudTasksContinuation,
  now: Date.now,
  sleep: (ms) => delay(ms),
  random: Math.random,
  newOwner: randomUUID,
}));

/** The push triggers' ports: Firestore, FCM and Cloud Tasks in production, whatever a test installed otherwise. */
export const pushDeps: () => FanoutDeps = ports.get;

/** Test seam: trigger tests install in-memory stores and a fake transport, then reset with `undefined`. */
export const setPushDeps: (deps: FanoutDeps | undefined) => void = ports.set;
