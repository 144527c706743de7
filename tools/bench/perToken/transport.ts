/** The messaging side of the per-token baseline: one multicast per chunk of at most 500 tokens. */
import type { Messaging, SendResponse } from "firebase-admin/messaging";
import { type PushKind, type PushPayload, buildPayload } from "../../../functions/src/notifications/messages";
import { failureOf } from "../../../functions/src/notifications/topics";

export interface PushMulticast extends PushPayload {
  tokens: string[];
}

export function buildMulticast(kind: PushKind, tokens: string[], nowMs: number): PushMulticast {
  return { tokens, ...buildPayload(kind, nowMs) };
}

/** FCM's answer for one token of a multicast, in the order of `message.tokens`. */
export type SendOutcome =
  | { ok: true }
  | {
      ok: false;
      /** firebase-admin error code, e.g. `messaging/registration-token-not-registered`. */
      code: string;
      message: string;
      /** HTTP status when the transport knows it (429, 500, ...). */
      status?: number;
      /** Server-requested wait before retrying, when the transport can see a Retry-After. */
      retryAfterMs?: number;
    };

/** A rejection means the whole call failed; it should carry `code` (and `status`/`retryAfterMs` when known). */
export interface PushTransport {
  sendEachForMulticast(message: PushMulticast): Promise<SendOutcome[]>;
}

/** One per-token answer of `sendEachForMulticast` as the fan-out's SendOutcome. */
function sendOutcomeOf(response: Pick<SendResponse, "success" | "error">): SendOutcome {
  return response.success ? { ok: true } : { ok: false, ...failureOf(response.error ?? new Error("no error given")) };
}

/** The production transport as it shipped: firebase-admin's sendEachForMulticast (one HTTP/2 request per token). */
export function fcmTransport(messaging: Messaging): PushTransport {
  return {
    async sendEachForMulticast(message) {
      const batch = await messaging.sendEachForMulticast(message);
      return batch.responses.map(sendOutcomeOf);
    },
  };
}
