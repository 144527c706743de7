import type { SendResponse } from "firebase-admin/messaging";
import { messaging } from "../admin";
import type { PushTransport, SendOutcome } from "./transport";

/**
 * firebase-admin maps an FCM error without a JSON body (a 429 or 502 from a front end) to `messaging/unknown-error`
 * and keeps the HTTP status only in the message text; without it such an answer would never be retried.
 */
const NON_JSON_STATUS = /Status code: (\d{3})\.$/;

/** One per-token answer of `sendEachForMulticast` as the fan-out's SendOutcome. */
export function sendOutcomeOf(response: Pick<SendResponse, "success" | "error">): SendOutcome {
  if (response.success) return { ok: true };
  const message = response.error?.message ?? "";
  const status = NON_JSON_STATUS.exec(message)?.[1];
  return {
    ok: false,
    code: response.error?.code ?? "messaging/unknown-error",
    message,
    ...(status === undefined ? {} : { status: Number(status) }),
  };
}

/**
 * The production transport. firebase-admin does not expose HTTP headers on per-token errors, so Retry-After is
 * unknown here and the fan-out falls back to its own backoff; the SDK already retries 503s itself.
 */
export const fcmTransport: PushTransport = {
  async sendEachForMulticast(message) {
    const batch = await messaging().sendEachForMulticast(message);
    return batch.responses.map(sendOutcomeOf);
  },
};
