import type { PushMessage } from "./messages";

/**
 * Every registered installation's token is subscribed to this one topic, and both wake-ups are sent to it: FCM
 * fans a topic message out to every subscriber itself and drops tokens that stopped being valid.
 */
export const WAKEUP_TOPIC = "wolley-wakeup";

/** FCM's ceiling for one subscribeToTopic / unsubscribeFromTopic call. */
export const FCM_MAX_TOKENS_PER_SUBSCRIPTION_CALL = 1000;

/** A failure as firebase-admin reports it: `code` such as `messaging/registration-token-not-registered`. */
export interface PushFailure {
  code: string;
  message: string;
  /** HTTP status when it is known (429, 500, ...). */
  status?: number;
}

/** FCM's answer for one token of a subscription call, in the order of the tokens. */
export type TokenAnswer = { ok: true } | ({ ok: false } & PushFailure);

/** Server-side topic subscriptions (FCM's instance-id API). Both calls are idempotent. */
export interface TopicSubscriptions {
  subscribe(tokens: readonly string[], topic: string): Promise<TokenAnswer[]>;
  unsubscribe(tokens: readonly string[], topic: string): Promise<TokenAnswer[]>;
}

/** The messaging port. Production wraps firebase-admin's Messaging; tests use an in-memory FCM. */
export interface PushMessenger extends TopicSubscriptions {
  /** Resolves to FCM's message id; rejects with an error carrying a PushFailure's fields. */
  send(message: PushMessage): Promise<string>;
}

/** The PushFailure fields of whatever a messenger call rejected with. */
export function failureOf(err: unknown): PushFailure {
  const fields = (typeof err === "object" && err !== null ? err : {}) as Record<string, unknown>;
  const message = err instanceof Error ? err.message : String(err);
  const status = typeof fields.status === "number" ? fields.status : statusInMessage(message);
  return {
    code: typeof fields.code === "string" ? fields.code : "messaging/unknown-error",
    message,
    ...(status === undefined ? {} : { status }),
  };
}

/**
 * firebase-admin maps an FCM error without a JSON body (a 429 or 502 from a front end) to `messaging/unknown-error`
 * and keeps the HTTP status only in the message text; without it such an answer would never be retried.
 */
const NON_JSON_STATUS = /Status code: (\d{3})\.$/;

function statusInMessage(message: string): number | undefined {
  const status = NON_JSON_STATUS.exec(message)?.[1];
  return status === undefined ? undefined : Number(status);
}
