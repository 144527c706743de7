/**
 * Lazy Admin SDK. firebase-admin's Firestore client pulls in gRPC and protobuf (hundreds of ms); requiring it at
 * module scope would slow deploy-time discovery and every cold start of functions that never touch Firestore.
 * So each accessor requires its service on first use and initialises the default app once.
 */
import type { App } from "firebase-admin/app";
import type { Auth } from "firebase-admin/auth";
import type { Database } from "firebase-admin/database";
import type { Firestore } from "firebase-admin/firestore";
import type { Messaging } from "firebase-admin/messaging";
import { REGION } from "./config";
import { assertNoEmulatorsInProduction } from "./emulatorGuard";

let app: App | undefined;

export function adminApp(): App {
  if (!app) {
    assertNoEmulatorsInProduction();
    const appModule = require("firebase-admin/app") as typeof import("firebase-admin/app");
    app = appModule.getApps()[0] ?? appModule.initializeApp();
  }
  return app;
}

export function firestore(): Firestore {
  const mod = require("firebase-admin/firestore") as typeof import("firebase-admin/firestore");
  return mod.getFirestore(adminApp());
}

export function database(): Database {
  const mod = require("firebase-admin/database") as typeof import("firebase-admin/database");
  return mod.getDatabase(adminApp());
}

export function messaging(): Messaging {
  const mod = require("firebase-admin/messaging") as typeof import("firebase-admin/messaging");
  return mod.getMessaging(adminApp());
}

export function auth(): Auth {
  const mod = require("firebase-admin/auth") as typeof import("firebase-admin/auth");
  return mod.getAuth(adminApp());
}

/**
 * Enqueues a task for the task-queue function `functionName`. Ids are derived from the work, so a task already
 * queued under `id` (a retried hand-off) counts as enqueued.
 */
export async function enqueueTaskOnce<T extends Record<string, unknown>>(functionName: string, payload: T, id: string): Promise<void> {
  const { getFunctions } = await import("firebase-admin/functions");
  const queue = getFunctions(adminApp()).taskQueue<T>(`locations/${REGION}/functions/${functionName}`);
  try {
    await queue.enqueue(payload, { id });
  } catch (err) {
    if ((err as { code?: unknown }).code === "functions/task-already-exists") return;
    throw err;
  }
}
