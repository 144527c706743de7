import { messaging } from "../admin";
import type { PushTransport, SendOutcome } from "./transport";

/**
 * The production transport. firebase-admin does not expose HTTP headers on per-token errors, so Retry-After is
 * unknown here and the fan-out falls back to its own backoff; the SDK already retries 503s itself.
 */
export const fcmTransport: PushTransport = {
  async sendEachForMulticast(message) {
    const batch = await messaging().sendEachForMulticast(message);
    return batch.responses.map(
      (response): SendOutcome =>
        response.success
          ? { ok: true }
          : { ok: false, code: response.error?.code ?? "messaging/unknown-error", message: response.error?.message ?? "" },
    );
  },
};
