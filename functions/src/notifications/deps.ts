import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { firestore } from "../core/admin";
import { lazyDeps } from "../core/lazyDeps";
import { fcmMessenger } from "./fcmTransport";
import { FirestoreRunStore } from "./firestoreStore";
import type { PushDeps } from "./topicPush";

const ports = lazyDeps<PushDeps>({
  runs: () => new FirestoreRunStore(firestore),
  messenger: () => fcmMessenger,
  now: () => Date.now,
  sleep: () => (ms) => delay(ms),
  random: () => Math.random,
  newOwner: () => randomUUID,
});

/** The push triggers' ports: Firestore and FCM in production, whatever a test installed otherwise. */
export const pushDeps: () => PushDeps = ports.get;

/**
 * Test seam: trigger tests install an in-memory run store and FCM, then reset with `undefined`.
 * @internal Only tests call it, which `knip --production` allows for this tag alone.
 */
export const setPushDeps: (deps: PushDeps | undefined) => void = ports.set;
