import { createHash } from "node:crypto";
import { z } from "zod";
import { enqueueTaskOnce, firestore } from "../core/admin";
import { lazyDeps } from "../core/lazyDeps";
import { FirestoreGpsStore } from "./firestoreStore";
import type { WeeklyContinuation } from "./service";
import type { GpsStore } from "./store";

const WEEKLY_TASK_FUNCTION = "weeklyStatsTask";

/** A continuation task: the week and the last uid done. */
export const weeklyTaskPayload = z.strictObject({
  week: z.string().regex(/^\d{4}-W\d{2}$/),
  after: z.string().min(1).max(256),
});
type WeeklyTaskPayload = z.infer<typeof weeklyTaskPayload>;

export interface WeeklyStatsDeps {
  store: GpsStore;
  /** Users per page; each page is listed, processed and dropped before the next. */
  pageSize: number;
  concurrency: number;
  now: () => number;
  continueLater: WeeklyContinuation;
}

/** Derived from week and cursor, so a repeated hand-off (a retried invocation) enqueues one task, not two. */
export function weeklyTaskId(week: string, after: string): string {
  return `weekly-${week}-${createHash("sha256").update(`${week}\n${after}`).digest("hex").slice(0, 32)}`;
}

const cloudTasksContinuation: WeeklyContinuation = (week, after) =>
  enqueueTaskOnce<WeeklyTaskPayload>(WEEKLY_TASK_FUNCTION, { week, after }, weeklyTaskId(week, after));

const ports = lazyDeps<WeeklyStatsDeps>({
  store: () => new FirestoreGpsStore(firestore),
  pageSize: () => 200,
  concurrency: () => 8,
  now: () => Date.now,
  continueLater: () => cloudTasksContinuation,
});

/** The weekly statistics triggers' ports: Firestore and Cloud Tasks in production, whatever a test installed otherwise. */
export const weeklyStatsDeps: () => WeeklyStatsDeps = ports.get;

/**
 * Test seam: trigger tests install an in-memory store and a fake continuation, then reset with `undefined`.
 * @internal Only tests call it, which `knip --production` allows for this tag alone.
 */
export const setWeeklyStatsDeps: (deps: WeeklyStatsDeps | undefined) => void = ports.set;
