import { createHash } from "node:crypto";
import { z } from "zod";
import { adminApp } from "../admin";
import { REGION } from "../config";
import type { ContinuationPort } from "./fanout";
import { pushKindSchema } from "./messages";
import type { RunKey } from "./store";

export const PUSH_TASK_FUNCTION = "pushFanoutTask";

/** What a continuation task carries: only the run key; the cursor lives in the run record. */
export const pushTaskPayload = z.strictObject({
  kind: pushKindSchema,
  scheduledTime: z.iso.datetime(),
});
export type PushTaskPayload = z.infer<typeof pushTaskPayload>;

/** The task id is derived from the run and its cursor, so a repeated hand-off enqueues one task, not two. */
export function continuationTaskId(key: RunKey, cursor: string | null): string {
  const digest = createHash("sha256").update(`${key.kind}\n${key.scheduledTime}\n${cursor ?? ""}`).digest("hex");
  return `${key.kind}-${Date.parse(key.scheduledTime)}-${digest.slice(0, 24)}`;
}

export const cloudTasksContinuation: ContinuationPort = {
  async continueLater(key, cursor) {
    const { getFunctions } = await import("firebase-admin/functions");
    const queue = getFunctions(adminApp()).taskQueue<PushTaskPayload>(
      `locations/${REGION}/functions/${PUSH_TASK_FUNCTION}`,
    );
    try {
      await queue.enqueue({ kind: key.kind, scheduledTime: key.scheduledTime }, { id: continuationTaskId(key, cursor) });
    } catch (err) {
      if ((err as { code?: unknown }).code === "functions/task-already-exists") return;
      throw err;
    }
  },
};
