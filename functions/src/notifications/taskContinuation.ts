import { createHash } from "node:crypto";
import { z } from "zod";
import { enqueueTaskOnce } from "../admin";
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
  continueLater: (key, cursor) =>
    enqueueTaskOnce<PushTaskPayload>(
      PUSH_TASK_FUNCTION,
      { kind: key.kind, scheduledTime: key.scheduledTime },
      continuationTaskId(key, cursor),
    ),
};
