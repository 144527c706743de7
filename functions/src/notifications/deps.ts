import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { firestore } from "../admin";
import type { FanoutDeps } from "./fanout";
import { fcmTransport } from "./fcmTransport";
import { FirestoreInstallationStore, FirestoreRunStore } from "./firestoreStore";
import { cloudTasksContinuation } from "./taskContinuation";

let production: FanoutDeps | undefined;
let override: FanoutDeps | undefined;

/** The push triggers' ports: Firestore, FCM and Cloud Tasks in production, whatever a test installed otherwise. */
export function pushDeps(): FanoutDeps {
  if (override) return override;
  production ??= {
    installations: new FirestoreInstallationStore(firestore),
    runs: new FirestoreRunStore(firestore),
    transport: fcmTransport,
    continuation: cloudTasksContinuation,
    now: Date.now,
    sleep: (ms) => delay(ms),
    random: Math.random,
    newOwner: randomUUID,
  };
  return production;
}

/** Test seam: trigger tests install in-memory stores and a fake transport, then reset with `undefined`. */
export function setPushDeps(deps: FanoutDeps | undefined): void {
  override = deps;
}
