import { setTimeout as delay } from "node:timers/promises";
import type { PushMulticast } from "../../src/notifications/messages";
import type { PushTransport, SendOutcome } from "../../src/notifications/transport";

export type FakeAnswer =
  | "success"
  | "not-registered"
  | "invalid-token"
  | "invalid-argument-token"
  | "invalid-argument-message"
  | "429"
  | "500";

export interface FakeTransportOptions {
  /** Answer for a token on its `attempt`-th delivery (1-based); success when omitted. */
  answer?: (token: string, attempt: number) => FakeAnswer;
  /** Simulated latency of every call. */
  latencyMs?: number;
  /** Keep every message (tests); benchmarks turn it off so the fake's own memory does not grow with the run. */
  record?: boolean;
  /** Retry-After the fake reports with its 429 answers. */
  retryAfterMs?: number;
  /** Makes a whole call reject (by 0-based call index). */
  rejectCall?: (callIndex: number) => Error | undefined;
}

/** A messaging transport that answers per token like FCM does and records what it was asked to send. */
export class FakePushTransport implements PushTransport {
  readonly messages: PushMulticast[] = [];
  readonly deliveries = new Map<string, number>();
  calls = 0;
  inFlight = 0;
  maxInFlight = 0;
  maxTokensPerCall = 0;

  constructor(private readonly options: FakeTransportOptions = {}) {}

  async sendEachForMulticast(message: PushMulticast): Promise<SendOutcome[]> {
    const callIndex = this.calls++;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.maxTokensPerCall = Math.max(this.maxTokensPerCall, message.tokens.length);
    try {
      if (this.options.latencyMs) await delay(this.options.latencyMs);
      const rejection = this.options.rejectCall?.(callIndex);
      if (rejection) throw rejection;
      const record = this.options.record ?? true;
      if (record) this.messages.push(message);
      return message.tokens.map((token) => {
        let attempt = 1;
        if (record) {
          attempt = (this.deliveries.get(token) ?? 0) + 1;
          this.deliveries.set(token, attempt);
        }
        return outcomeOf(this.options.answer?.(token, attempt) ?? "success", this.options.retryAfterMs);
      });
    } finally {
      this.inFlight -= 1;
    }
  }

  /** Every token of every recorded call, once per send: a token sent again appears again, whatever it was answered. */
  sentTokens(): string[] {
    return this.messages.flatMap((m) => m.tokens);
  }
}

const SUCCESS: SendOutcome = { ok: true };

/** What FCM answers for each failing FakeAnswer; the 429 answer also carries the configured Retry-After. */
const FAILURES: Record<Exclude<FakeAnswer, "success">, { code: string; message: string; status: number }> = {
  "not-registered": { code: "messaging/registration-token-not-registered", message: "Requested entity was not found.", status: 404 },
  "invalid-token": { code: "messaging/invalid-registration-token", message: "Invalid registration token provided.", status: 400 },
  "invalid-argument-token": { code: "messaging/invalid-argument", message: "The registration token is not a valid FCM registration token", status: 400 },
  "invalid-argument-message": { code: "messaging/invalid-argument", message: "Request contains an invalid argument.", status: 400 },
  "429": { code: "messaging/message-rate-exceeded", message: "Quota exceeded.", status: 429 },
  "500": { code: "messaging/internal-error", message: "Internal error.", status: 500 },
};

export function outcomeOf(answer: FakeAnswer, retryAfterMs?: number): SendOutcome {
  if (answer === "success") return SUCCESS;
  const retryAfter = answer === "429" && retryAfterMs !== undefined ? { retryAfterMs } : {};
  return { ok: false, ...FAILURES[answer], ...retryAfter };
}

/** A whole-call failure shaped like firebase-admin's: the fan-out reads `code`, `status` and `retryAfterMs`. */
export class TransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

export function rateLimitedCall(retryAfterMs?: number): TransportError {
  return new TransportError("messaging/message-rate-exceeded", "Quota exceeded for the whole call.", 429, retryAfterMs);
}

/** A plausible FCM token whose sort order follows `i`. */
export function fakeToken(i: number, prefix = "d"): string {
  return `${prefix}${i.toString(36).padStart(7, "0")}:APA91b${"Qx7_-".repeat(29)}${(i * 2654435761) % 1_000_003}`;
}
