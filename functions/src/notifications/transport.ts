import type { PushMulticast } from "./messages";

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

/**
 * The messaging port. Production wraps `getMessaging().sendEachForMulticast`; tests and benchmarks use a fake.
 * A rejection means the whole call failed; it should carry `code` (and `status`/`retryAfterMs` when known).
 */
export interface PushTransport {
  sendEachForMulticast(message: PushMulticast): Promise<SendOutcome[]>;
}
