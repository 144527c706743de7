import type { PushMessage } from "../../src/notifications/messages";
import type { PushMessenger, TokenAnswer } from "../../src/notifications/topics";

/** An error shaped like firebase-admin's FirebaseMessagingError: the code (and, when known, the status) matter. */
class FcmError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "FcmError";
  }
}

export const FCM_ERRORS = {
  rateLimited: () => new FcmError("messaging/message-rate-exceeded", "Quota exceeded.", 429),
  internal: () => new FcmError("messaging/internal-error", "Internal error.", 500),
  invalidArgument: () => new FcmError("messaging/invalid-argument", "Request contains an invalid argument.", 400),
  network: () => new FcmError("app/network-error", "Error while making request: socket hang up."),
};

export interface FakeFcmBehaviour {
  /** Tokens FCM does not know (subscription answers NOT_FOUND, as firebase-admin maps it). */
  isDead?: (token: string) => boolean;
  /** What the n-th (0-based) send rejects with; accepted when undefined. */
  failSend?: (index: number) => Error | undefined;
  /** What the n-th subscribe call rejects with as a whole. */
  failSubscribe?: (index: number) => Error | undefined;
  /** A per-token refusal that is not about the token being dead (e.g. internal-error). */
  refuseToken?: (token: string, callIndex: number) => TokenAnswer | undefined;
}

/**
 * FCM in memory: topic subscriptions, and topic sends delivered to every subscribed token (once per token, as FCM
 * delivers a topic message), recorded per token so tests can ask what each device received.
 */
export class FakeFcm implements PushMessenger {
  readonly topics = new Map<string, Set<string>>();
  readonly sent: PushMessage[] = [];
  readonly received = new Map<string, PushMessage[]>();
  sendCalls = 0;
  subscribeCalls = 0;
  unsubscribeCalls = 0;
  private readonly listeners: ((token: string, message: PushMessage) => void)[] = [];

  constructor(private readonly behaviour: FakeFcmBehaviour = {}) {}

  /** Called for each delivery, as a device's message handler would be. */
  onDelivery(listener: (token: string, message: PushMessage) => void): void {
    this.listeners.push(listener);
  }

  send(message: PushMessage): Promise<string> {
    const index = this.sendCalls++;
    const failure = this.behaviour.failSend?.(index);
    if (failure) return Promise.reject(failure);
    this.sent.push(message);
    for (const token of this.topics.get(message.topic) ?? []) {
      this.received.set(token, [...(this.received.get(token) ?? []), message]);
      for (const listener of this.listeners) listener(token, message);
    }
    return Promise.resolve(`projects/demo-wolley/messages/${this.sent.length}`);
  }

  subscribe(tokens: readonly string[], topic: string): Promise<TokenAnswer[]> {
    return this.manage(tokens, topic, this.subscribeCalls++, true);
  }

  unsubscribe(tokens: readonly string[], topic: string): Promise<TokenAnswer[]> {
    return this.manage(tokens, topic, this.unsubscribeCalls++, false);
  }

  subscribers(topic: string): string[] {
    return [...(this.topics.get(topic) ?? [])].sort();
  }

  private manage(tokens: readonly string[], topic: string, callIndex: number, add: boolean): Promise<TokenAnswer[]> {
    const failure = add ? this.behaviour.failSubscribe?.(callIndex) : undefined;
    if (failure) return Promise.reject(failure);
    const members = this.topics.get(topic) ?? new Set<string>();
    const answers = tokens.map((token): TokenAnswer => {
      if (this.behaviour.isDead?.(token)) {
        return { ok: false, code: "messaging/registration-token-not-registered", message: "NOT_FOUND" };
      }
      const refusal = this.behaviour.refuseToken?.(token, callIndex);
      if (refusal) return refusal;
      if (add) members.add(token);
      else members.delete(token);
      return { ok: true };
    });
    if (members.size > 0) this.topics.set(topic, members);
    else this.topics.delete(topic);
    return Promise.resolve(answers);
  }
}

/** A plausible FCM token whose sort order follows `i`. */
export function fakeToken(i: number, prefix = "d"): string {
  return `${prefix}${i.toString(36).padStart(7, "0")}:APA91b${"Qx7_-".repeat(29)}${(i * 2654435761) % 1_000_003}`;
}
